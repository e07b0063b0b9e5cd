from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from donations.stripe.webhook import BadWebhook, webhook_receive


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's webhook endpoint: 400 for anything not verifiably from Stripe, 200
    at once for a stored event (processing happens in Celery)."""
    try:
        webhook_receive(
            payload=request.body,
            signature_header=request.headers.get("Stripe-Signature", ""),
        )
    except BadWebhook:
        return HttpResponseBadRequest("invalid webhook")
    return HttpResponse(status=200)

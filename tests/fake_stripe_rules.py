"""Stripe's refusals, rule by rule, for the fake Stripe in tests/fake_stripe.py.

A fake must be at least as strict as the service it stands in for: a monthly gift
was lost once because the fake expanded six levels where Stripe stops at four. Each
rule here is a plain function of a `Call` (what stripe-python sent, and which
endpoint it reached) that raises `Refused` the way Stripe answers: HTTP 400, an
error type, Stripe's `code` and `param`, and Stripe's message where we know it.

    check(call)                                  # every rule, in Stripe's order
    expand_problem("invoice", False, "a.b.c")    # one expand path, for a static scan

Where a rule can be derived from stripe-python's own sources it is, so that a new
stripe-python brings its rules along: typed params (stripe/params/...) say which
fields take integers, which may be sent as "" (`Literal['']`), which parameters
exclude each other and which Checkout Session mode each belongs to (in their
docstrings, generated from Stripe's OpenAPI spec); resource classes
(stripe/_charge.py, ...) say which fields are expandable (`ExpandableField[...]`)
and includable (an optional `ListObject[...]`). What the sources do not say is
listed by hand, each with the page of Stripe's reference that does.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from stripe._list_object import ListObject
from stripe._stripe_object import StripeObject

# --- What a rule sees, and how it refuses --------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request as Stripe's server sees it: form values are strings."""

    method: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    # stripe-python's typed params for this endpoint (names, types, docstrings)
    params_class: type | None = None
    # the object the endpoint answers with ("invoice", "checkout.session", ...)
    object_name: str | None = None
    listing: bool = False  # answers with a list of them


class Refused(Exception):
    """Stripe's answer to a request it will not carry out."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        type: str = "invalid_request_error",
        status: int = 400,
    ):
        super().__init__(message)
        self.message, self.code, self.param = message, code, param
        self.type, self.status = type, status

    @property
    def error(self) -> dict[str, str]:
        """The `error` object of Stripe's answer."""
        body = {"type": self.type, "message": self.message}
        if self.code:
            body["code"] = self.code
        if self.param:
            body["param"] = self.param
        return body


def check(call: Call) -> None:
    """Every rule, in roughly the order Stripe checks: the shape of each value
    first, then the rules that read several values together."""
    for rule in RULES:
        rule(call)


def problems(call: Call) -> list[str]:
    """What Stripe would refuse in this call (empty: nothing), for reports."""
    try:
        check(call)
    except Refused as refusal:
        return [f"{refusal.code or refusal.type}: {refusal.message}"]
    return []


# --- stripe-python's typed params ----------------------------------------------------

# Options stripe-python takes beside the params; never sent as parameters.
REQUEST_OPTIONS = frozenset(
    {
        "api_key",
        "stripe_version",
        "stripe_account",
        "stripe_context",
        "max_network_retries",
        "idempotency_key",
        "content_type",
        "headers",
    }
)


@dataclass(frozen=True)
class Param:
    """One field of a typed params class, read from its annotation and docstring."""

    name: str
    text: str  # the annotation, forward references spelled out
    children: tuple[type, ...]  # typed dicts its value (or its items) may be
    freeform: bool  # a dict of the caller's keys (metadata)
    emptyable: bool  # `Literal['']`: "" unsets it
    integer: bool  # a string value must be an integer
    doc: str


def _text(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return re.sub(
        r"ForwardRef\((['\"])(.*?)\1(?:, module=[^)]*)?\)", r"\2", text
    ).replace("typing.", "")


def _types_named(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"'[^']*'", "", text)))


@functools.cache
def _docstrings(module_name: str) -> dict[str, dict[str, str]]:
    """class name → field → the docstring under it (stripe-python writes one
    under every field; only the source keeps them)."""
    tree = ast.parse(inspect.getsource(sys.modules[module_name]))
    found: dict[str, dict[str, str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        docs = found.setdefault(node.name, {})
        for first, second in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(first, ast.AnnAssign)
                and isinstance(first.target, ast.Name)
                and isinstance(second, ast.Expr)
                and isinstance(second.value, ast.Constant)
                and isinstance(second.value.value, str)
            ):
                docs[first.target.id] = " ".join(second.value.value.split())
    return found


@functools.cache
def params_of(cls: type) -> dict[str, Param]:
    """Field name → what stripe-python declares about it, for a typed params class
    (a TypedDict; its annotations already include its bases')."""
    module = sys.modules[cls.__module__]
    docs = _docstrings(cls.__module__).get(cls.__name__, {})
    fields: dict[str, Param] = {}
    for name, annotation in getattr(cls, "__annotations__", {}).items():
        if name in REQUEST_OPTIONS:
            continue
        text = _text(annotation)
        freeform = bool(
            re.search(r"Dict\[str,|Mapping\[str,|UntypedStripeObject", text)
        )
        named = _types_named(text)
        children = tuple(
            candidate
            for candidate in (getattr(module, n, None) for n in sorted(named))
            if isinstance(candidate, type) and hasattr(candidate, "__total__")
        )
        fields[name] = Param(
            name=name,
            text=text,
            children=() if freeform else children,
            freeform=freeform,
            emptyable="Literal['']" in text or 'Literal[""]' in text,
            integer="int" in named and not named & {"str", "float", "Decimal"},
            doc=docs.get(name, ""),
        )
    return fields


def params_class(dotted: str) -> type | None:
    """The typed params class named `dotted` (stripe.params.InvoiceRetrieveParams),
    or None if this stripe-python has none."""
    module, _, name = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


@dataclass(frozen=True)
class Value:
    """One value in a request, with where it is and what the params declare."""

    path: str  # as Stripe names it in `param`: line_items[0][price_data]
    name: str
    value: Any
    param: Param | None
    siblings: dict[str, Any]  # the dict it is in
    owner: tuple[type, ...]  # the typed params classes of that dict


def values(params: Any, classes: tuple[type, ...], where: str = "") -> Iterator[Value]:
    """Every value in `params`, depth first, as `Value`s; free-form dicts
    (metadata) are yielded whole, not walked into."""
    if isinstance(params, list):
        for i, item in enumerate(params):
            yield from values(item, classes, f"{where}[{i}]")
        return
    if not isinstance(params, dict):
        return
    declared: dict[str, Param] = {}
    for cls in classes:
        for name, param in params_of(cls).items():
            declared.setdefault(name, param)
    for name, value in params.items():
        path = f"{where}[{name}]" if where else name
        param = declared.get(name)
        yield Value(path, name, value, param, params, classes)
        if param is not None and not param.freeform:
            yield from values(value, param.children, path)


# --- Empty strings -----------------------------------------------------------------
# https://docs.stripe.com/error-codes#parameter-invalid-empty: an empty value is read
# as "unset this", and only fields the reference marks emptyable can be unset;
# stripe-python marks those `Literal['']`. The message is Stripe's (quoted in
# mage2pro/stripe#67). Metadata keys
# can each be unset with "" (https://docs.stripe.com/api/metadata), so free-form
# dicts are not looked into.


def empty_strings(call: Call) -> None:
    if call.params_class is None:
        return
    for value in values(call.params, (call.params_class,)):
        if value.value == "" and value.param is not None and not value.param.emptyable:
            name = value.path
            raise Refused(
                f"You passed an empty string for '{name}'. We assume empty values "
                f"are an attempt to unset a parameter; however '{name}' cannot be "
                f"unset. You should remove '{name}' from your request or supply a "
                "non-empty value.",
                code="parameter_invalid_empty",
                param=name,
            )


# --- Integers -----------------------------------------------------------------------
# https://docs.stripe.com/error-codes#parameter-invalid-integer: amounts are
# integers in the currency's minor unit
# (https://docs.stripe.com/currencies#minor-units-in-api-amounts); every field
# stripe-python types `int` is checked, amounts among them.


def integers(call: Call) -> None:
    if call.params_class is None:
        return
    for value in values(call.params, (call.params_class,)):
        if (
            value.param is not None
            and value.param.integer
            and isinstance(value.value, str)
            and value.value != ""
            and not re.fullmatch(r"-?\d+", value.value)
        ):
            raise Refused(
                f"Invalid integer: {value.value}",
                code="parameter_invalid_integer",
                param=value.path,
            )


# --- Parameters that exclude each other ---------------------------------------------
# Derived from stripe-python's docstrings (Stripe's reference text): "One of `price`
# or `price_data` is required." (exactly one), "Only one of `unit_amount` and
# `unit_amount_decimal` can be set." and "You can use either `price` or
# `price_data`, but not both" (at most one). Stripe's answer to two of them is "You
# may only specify one of these parameters: a, b." (quoted in stripe/stripe-node
# #1464, laravel/cashier-stripe#1078); the wording for neither is ours. By hand,
# from Stripe's reference:
#  - Checkout Sessions: `customer` or `customer_email`, not both
#    (https://docs.stripe.com/api/checkout/sessions/create: `customer_email` "will
#    be used when the Customer object is created", so only without `customer`;
#    Stripe answers "You may only specify one of these parameters: customer,
#    customer_email.", quoted in laravel/cashier-stripe#1078).
#  - every list: `starting_after` or `ending_before`, not both
#    (https://docs.stripe.com/api/pagination: "These parameters are mutually
#    exclusive.").

EXCLUSIVE_BY_HAND = (
    ("SessionCreateParams", "customer", "customer_email"),
    ("*ListParams", "starting_after", "ending_before"),
)


@functools.cache
def exclusive_pairs(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """(a, b, one of them required) for the fields of `cls` that exclude each
    other."""
    fields = params_of(cls)
    pairs: set[tuple[str, str, bool]] = set()
    for param in fields.values():
        for a, b in re.findall(r"One of `(\w+)` or `(\w+)` is required", param.doc):
            if a in fields and b in fields:
                pairs.add((a, b, True))
        for pattern in (
            r"Only one of `(\w+)` and `(\w+)` can be set",
            r"either `(\w+)` or `(\w+)`, but not both",
        ):
            for a, b in re.findall(pattern, param.doc):
                if a in fields and b in fields and (a, b, True) not in pairs:
                    pairs.add((a, b, False))
    for owner, a, b in EXCLUSIVE_BY_HAND:
        named = cls.__name__ == owner or (
            owner.startswith("*") and cls.__name__.endswith(owner[1:])
        )
        if named and a in fields and b in fields:
            pairs.add((a, b, False))
    return tuple(sorted(pairs))


def _exclusive_in(params: dict, classes: tuple[type, ...], where: str) -> None:
    for cls in classes:
        for a, b, required in exclusive_pairs(cls):
            given = [name for name in (a, b) if name in params]
            if len(given) == 2:
                raise Refused(
                    f"You may only specify one of these parameters: {a}, {b}.",
                    code="parameters_exclusive",
                    param=f"{where}[{b}]" if where else b,
                )
            if required and not given:
                raise Refused(
                    f"You must provide one of these parameters: {a}, {b}.",
                    code="parameter_missing",
                    param=f"{where}[{a}]" if where else a,
                )


def exclusive_parameters(call: Call) -> None:
    if call.params_class is None:
        return
    _exclusive_in(call.params, (call.params_class,), "")
    for value in values(call.params, (call.params_class,)):
        if value.param is None or not value.param.children:
            continue
        items = value.value if isinstance(value.value, list) else [value.value]
        for i, item in enumerate(items):
            if isinstance(item, dict):
                where = (
                    f"{value.path}[{i}]"
                    if isinstance(value.value, list)
                    else value.path
                )
                _exclusive_in(item, value.param.children, where)


# --- Limits on lists ---------------------------------------------------------------
# https://docs.stripe.com/api/pagination#pagination-limit: "This specifies a limit on
# the number of objects to return, ranging between 1 and 100." (The wording of the
# answer is not in the reference; this is Stripe's answer as we have seen it.)

LIMIT_RANGE = (1, 100)


def list_limit(call: Call) -> None:
    if not call.listing or "limit" not in call.params:
        return
    raw = call.params["limit"]
    if not isinstance(raw, str) or not re.fullmatch(r"-?\d+", raw):
        return  # `integers` answers for that
    low, high = LIMIT_RANGE
    if int(raw) < low:
        message = f"This value must be greater than or equal to {low}."
    elif int(raw) > high:
        message = f"This value must be less than or equal to {high}."
    else:
        return
    raise Refused(message, code="parameter_invalid_integer", param="limit")


# --- Metadata -------------------------------------------------------------------------
# https://docs.stripe.com/metadata#data: "You can add 50 total key-value pairs ...
# key: 40-character limit. Square brackets ([ ]) can't be included in keys. value:
# 500-character limit." Stripe's answers carry `param` and no `code`
# (stripe/stripe-php#246, FlowFuse/flowfuse#1948 quote them); the wording of the
# answer about square brackets is ours.

METADATA_KEYS, METADATA_KEY_LENGTH, METADATA_VALUE_LENGTH = 50, 40, 500


def metadata_limits(call: Call) -> None:
    if call.params_class is None:
        return
    for value in values(call.params, (call.params_class,)):
        if value.name != "metadata" or not isinstance(value.value, dict):
            continue
        metadata, param = value.value, value.path
        if len(metadata) > METADATA_KEYS:
            raise Refused(
                f"Metadata can have up to {METADATA_KEYS} keys, but you've set "
                f"{len(metadata)}. Email us at support+metadata@stripe.com for more "
                "information.",
                param=param,
            )
        for key, item in metadata.items():
            if "[" in key or "]" in key:
                raise Refused(
                    f"Invalid key: {key} can't contain square brackets ([ or ]).",
                    param=param,
                )
            if len(key) > METADATA_KEY_LENGTH:
                raise Refused(
                    f"Invalid key: {key} must be a string under "
                    f"{METADATA_KEY_LENGTH} characters",
                    param=param,
                )
            if isinstance(item, str) and len(item) > METADATA_VALUE_LENGTH:
                raise Refused(
                    f"Invalid val: {item} must be a string under "
                    f"{METADATA_VALUE_LENGTH} characters",
                    param=param,
                )


# --- Idempotency keys ----------------------------------------------------------------
# https://docs.stripe.com/api/idempotent_requests: "Idempotency keys are up to 255
# characters long." and "The idempotency layer compares incoming parameters to those
# of the original request and errors if they're not the same". Both answers'
# wording is Stripe's (quoted in cartalyst/stripe#65 and fjordllc/bootcamp#3928).
# "If incoming parameters fail validation ... no idempotent result is saved": the
# fake checks every other rule before it saves an answer under a key.

IDEMPOTENCY_KEY_LENGTH = 255


def idempotency_key_length(call: Call) -> None:
    key = call.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= IDEMPOTENCY_KEY_LENGTH:
        raise Refused(
            f"Idempotent key length is {len(key)}, which is outside accepted "
            f"lengths. Idempotent Keys must be 1-{IDEMPOTENCY_KEY_LENGTH} characters "
            "long. If you're looking for a decent generator, try using a UUID "
            "defined by IETF RFC 4122."
        )


def idempotency_reuse(first: tuple[str, str, dict], call: Call) -> None:
    """`first` is (method, path, params) of the request first sent with this key."""
    if first != (call.method, call.path, call.params):
        key = call.headers.get("Idempotency-Key")
        raise Refused(
            "Keys for idempotent requests can only be used with the same parameters "
            f"they were first used with. Try using a key other than '{key}' if you "
            "meant to execute a different request.",
            type="idempotency_error",
        )


# --- Expanding ------------------------------------------------------------------------
# https://docs.stripe.com/api/expanding_objects: "Expansions have a maximum depth of
# four levels (so for example, when listing charges, data.invoice.subscription.
# default_source is the deepest allowed)." and "the expandable label in this
# documentation indicates which ID fields you can expand into objects"; fields
# "that aren't included in the response by default" (includable) are asked for the
# same way. stripe-python types the first `ExpandableField[...]` (a union of `str`
# and the object), the second an optional `ListObject[...]`. Stripe's answers: "You
# cannot expand more than 4 levels of a property. Property: <path>" (what it said
# to the monthly gift we lost) and "This property cannot be expanded (<path>).";
# the `param` (expand[i]) is ours, the reference does not say.

EXPAND_DEPTH = 4


@dataclass(frozen=True)
class ListOf:
    """A list object on an expand path: only its `data` goes further."""

    items: frozenset


@functools.cache
def _imported_names(module_name: str) -> dict[str, tuple[str, str]]:
    """Names a resource module imports (under TYPE_CHECKING too) → (module, name),
    to resolve its forward references."""
    tree = ast.parse(inspect.getsource(sys.modules[module_name]))
    names: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
    return names


def _resolve(ref: Any, owner: type) -> type | None:
    if isinstance(ref, type):
        return ref
    name = ref.__forward_arg__ if isinstance(ref, typing.ForwardRef) else str(ref)
    module = sys.modules[owner.__module__]
    found = getattr(module, name, None)
    if isinstance(found, type):
        return found
    target = _imported_names(owner.__module__).get(name)
    if target is None:
        return None
    try:
        found = getattr(importlib.import_module(target[0]), target[1])
    except (ImportError, AttributeError):
        return None
    return found if isinstance(found, type) else None


def _is_object(candidate: Any) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, StripeObject)


@dataclass(frozen=True)
class Step:
    """What one segment of an expand path is on an object."""

    expandable: bool  # may end an expand path
    onward: frozenset  # what the next segment is looked up on (types or ListOf)
    unknown: bool = False  # a type we cannot resolve: not judged further


def _step(annotation: Any, owner: type) -> Step | None:
    args = (
        typing.get_args(annotation)
        if typing.get_origin(annotation) is typing.Union
        else (annotation,)
    )
    optional = type(None) in args
    args = tuple(a for a in args if a is not type(None))
    if typing.get_origin(annotation) is list or (
        len(args) == 1 and typing.get_origin(args[0]) is list
    ):
        inner = typing.get_args(args[0] if args else annotation)
        return _step(inner[0], owner) if inner else None
    has_str = str in args
    targets: set = set()
    unknown = False
    for arg in args:
        if arg is str:
            continue
        if typing.get_origin(arg) is ListObject:
            items = frozenset(
                t for t in (_resolve(i, owner) for i in typing.get_args(arg)) if t
            )
            # An optional list is one Stripe leaves out unless asked (includable);
            # one always present can be walked through, not asked for.
            return Step(expandable=optional, onward=frozenset({ListOf(items)}))
        if isinstance(arg, typing.ForwardRef) or _is_object(arg):
            resolved = _resolve(arg, owner)
            if resolved is None:
                unknown = True
            else:
                targets.add(resolved)
    if has_str and (targets or unknown):
        return Step(expandable=True, onward=frozenset(targets), unknown=unknown)
    if targets and not has_str:
        return Step(expandable=False, onward=frozenset(targets))  # a nested object
    return None


@functools.cache
def _steps(cls: type) -> dict[str, Step]:
    steps: dict[str, Step] = {}
    for klass in reversed(cls.__mro__):
        for name, annotation in getattr(klass, "__annotations__", {}).items():
            step = _step(annotation, klass)
            if step is not None:
                steps[name] = step
    return steps


def object_class(object_name: str) -> type | None:
    """The resource class of an object name (invoice → stripe.Invoice), from
    stripe-python's own table of objects."""
    from stripe._object_classes import OBJECT_CLASSES

    entry = OBJECT_CLASSES.get(object_name)
    if entry is None:
        return None
    module, name = entry
    return getattr(importlib.import_module(module), name)


def expand_problem(object_name: str, listing: bool, path: str) -> str | None:
    """Why Stripe refuses to expand `path` on this endpoint's answer, or None."""
    segments = path.split(".")
    if len(segments) > EXPAND_DEPTH:
        return (
            f"You cannot expand more than {EXPAND_DEPTH} levels of a property. "
            f"Property: {path}"
        )
    root = object_class(object_name)
    if root is None:
        return None
    here: frozenset = frozenset({ListOf(frozenset({root}))} if listing else {root})
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        onward: set = set()
        allowed = False
        for node in here:
            if isinstance(node, ListOf):
                if segment == "data" and not last:
                    onward |= node.items
                    allowed = True
                continue
            step = _steps(node).get(segment)
            if step is None:
                continue
            if step.unknown:
                return None  # an object stripe-python names but we cannot find
            if last and step.expandable:
                allowed = True
            elif not last and step.onward:
                allowed = True
                onward |= step.onward
        if not allowed:
            return f"This property cannot be expanded ({'.'.join(segments[: i + 1])})."
        here = frozenset(onward)
    return None


def expand_paths(call: Call) -> None:
    expand = call.params.get("expand")
    if not expand or call.object_name is None:
        return
    for i, path in enumerate(expand if isinstance(expand, list) else [expand]):
        problem = expand_problem(call.object_name, call.listing, str(path))
        if problem:
            raise Refused(problem, param=f"expand[{i}]")


# --- Checkout Session modes --------------------------------------------------------
# https://docs.stripe.com/api/checkout/sessions/create: derived from the docstrings
# stripe-python copies from it: "Can only be set in `payment` and `setup` mode.",
# "`submit_type` can only be specified on Checkout Sessions in `payment` or
# `subscription` mode.", "A subset of parameters to be passed to subscription
# creation for Checkout Sessions in `subscription` mode.", "The parameter is
# required for `payment` and `subscription` mode." By hand, where the reference
# says it in other words:
#  - `invoice_creation`: "Generate a post-purchase Invoice for one-time payments"
#    (payment mode only);
#  - `line_items` in setup mode: Stripe answers "You can not pass `line_items` in
#    `setup` mode." (invertase/stripe-firebase-extensions#700).
# Prices (https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-mode:
# "Pass subscription if the Checkout Session includes at least one recurring
# item"): Stripe answers "You must provide at least one recurring price in
# `subscription` mode when using prices." and "You specified `payment` mode but
# passed a recurring price. Either switch to `subscription` mode or use only
# one-time prices." (both quoted in invertase/stripe-firebase-extensions#190).
# Answers: "You can not pass `payment_intent_data` in `subscription` mode." (quoted
# in stripe/stripe-dotnet#3278), the same words for every field a mode forbids, and
# Stripe's "Missing required param: <name>." (stripe/stripe-node#1114).

CHECKOUT_MODES = ("payment", "setup", "subscription")
_MODES = r"(?P<modes>`\w+`(?:(?:,|,? and|,? or) `\w+`)*)"
_SESSIONS = r"(?: (?:on|for) Checkout Sessions)?"
_ALLOWED = (
    rf"[Cc]an only be (?:set|specified|provided|used){_SESSIONS} in {_MODES} mode",
    rf"[Oo]nly (?:usable|accepted|available){_SESSIONS} in {_MODES} mode",
    rf"creation for Checkout Sessions in {_MODES} mode",
)
_REQUIRED = (rf"required for {_MODES} mode",)
MODES_BY_HAND = {
    "invoice_creation": frozenset({"payment"}),
    "line_items": frozenset({"payment", "subscription"}),
}


def _modes(doc: str, patterns: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    for pattern in patterns:
        for match in re.finditer(pattern, doc):
            found |= set(re.findall(r"`(\w+)`", match.group("modes")))
    return frozenset(found & set(CHECKOUT_MODES))


@functools.cache
def checkout_modes(cls: type) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Field of a Checkout Session params class → (modes it may be sent in,
    modes it must be sent in); only fields with a rule."""
    rules = {}
    for name, param in params_of(cls).items():
        allowed, required = _modes(param.doc, _ALLOWED), _modes(param.doc, _REQUIRED)
        if cls.__name__ == "SessionCreateParams" and name in MODES_BY_HAND:
            allowed = MODES_BY_HAND[name]
        if allowed or required:
            rules[name] = (allowed or frozenset(CHECKOUT_MODES), required)
    return rules


def _is_checkout_create(call: Call) -> bool:
    return (
        call.method == "POST"
        and call.path == "/v1/checkout/sessions"
        and call.params_class is not None
    )


def checkout_session_modes(call: Call) -> None:
    if not _is_checkout_create(call):
        return
    mode = call.params.get("mode")
    if not mode:
        raise Refused(
            "Missing required param: mode.", code="parameter_missing", param="mode"
        )
    for value in values(call.params, (call.params_class,)):
        for cls in value.owner:
            allowed, _ = checkout_modes(cls).get(value.name, (None, None))
            if allowed is not None and mode not in allowed:
                raise Refused(
                    f"You can not pass `{value.path}` in `{mode}` mode.",
                    param=value.path,
                )
    for name, (_, required) in checkout_modes(call.params_class).items():
        if mode in required and not call.params.get(name):
            raise Refused(
                f"Missing required param: {name}.",
                code="parameter_missing",
                param=name,
            )
    items = call.params.get("line_items") or []
    recurring = [
        i
        for i, item in enumerate(items)
        if isinstance(item, dict) and (item.get("price_data") or {}).get("recurring")
    ]
    judged = all(isinstance(i, dict) and "price_data" in i for i in items)
    if mode == "payment" and recurring:
        raise Refused(
            "You specified `payment` mode but passed a recurring price. Either "
            "switch to `subscription` mode or use only one-time prices.",
            param=f"line_items[{recurring[0]}]",
        )
    if mode == "subscription" and items and judged and not recurring:
        raise Refused(
            "You must provide at least one recurring price in `subscription` mode "
            "when using prices.",
            param="line_items",
        )


# --- The least a checkout may charge ------------------------------------------------
# https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts: "The minimum
# amount" per settlement currency, in minor units (the table as Stripe publishes
# it; mozilla/fxa keeps the same figures from that page). Stripe answers a Checkout
# Session whose total is below it with code `amount_too_small`
# (https://docs.stripe.com/error-codes#amount-too-small); the message is not in the
# reference: it is Stripe's as we remember it. A currency
# not in the table (UAH) must come to the equivalent of the settlement currency's
# minimum, which depends on the day's rate: not checked.

MINIMUM_CHARGE = {
    "usd": 50,
    "aed": 200,
    "aud": 50,
    "bgn": 100,
    "brl": 50,
    "cad": 50,
    "chf": 50,
    "czk": 1500,
    "dkk": 250,
    "eur": 50,
    "gbp": 30,
    "hkd": 400,
    "huf": 17500,
    "inr": 50,
    "jpy": 50,
    "mxn": 1000,
    "myr": 200,
    "nok": 300,
    "nzd": 50,
    "pln": 200,
    "ron": 200,
    "sek": 300,
    "sgd": 50,
}


def checkout_minimum_amount(call: Call) -> None:
    if not _is_checkout_create(call) or call.params.get("mode") == "setup":
        return
    total, currency = 0, None
    for item in call.params.get("line_items") or []:
        price = (item or {}).get("price_data") if isinstance(item, dict) else None
        if not isinstance(price, dict) or "unit_amount" not in price:
            return  # a Price by id: its amount is not in the request
        try:
            total += int(price["unit_amount"]) * int(item.get("quantity") or 1)
        except ValueError:
            return  # `integers` answers for that
        currency = str(price.get("currency") or "").lower()
    minimum = MINIMUM_CHARGE.get(currency or "")
    if minimum is None or total >= minimum:
        return
    shown = str(minimum) if currency == "jpy" else f"{minimum / 100:.2f}"
    raise Refused(
        "The Checkout Session's total amount due must add up to at least "
        f"{shown} {currency}",
        code="amount_too_small",
    )


RULES = (
    idempotency_key_length,
    empty_strings,
    integers,
    exclusive_parameters,
    list_limit,
    metadata_limits,
    expand_paths,
    checkout_session_modes,
    checkout_minimum_amount,
)

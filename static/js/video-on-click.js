// Videos load from their host only when a visitor asks: until the click, the page
// talks to no one but us. Without JavaScript the link simply opens the video.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-embed-src]");
  if (!link) return;
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.src = link.getAttribute("data-embed-src");
  frame.title = link.getAttribute("data-title") || "";
  frame.width = "640";
  frame.height = "360";
  frame.allow = "fullscreen";
  frame.setAttribute("referrerpolicy", "no-referrer");
  link.parentNode.replaceChild(frame, link);
});

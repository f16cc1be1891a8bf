// Optional, for hosts that are neither AMP nor Iframely: sizes each article-embed iframe
// to the height its content reports. It only changes the height of the iframe the message
// came from.
addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.sentinel !== "amp" || data.type !== "embed-size") return;
  const height = Number(data.height);
  if (!Number.isFinite(height) || height <= 0 || height > 20000) return;
  for (const frame of document.querySelectorAll("iframe")) {
    if (frame.contentWindow === event.source) frame.style.height = `${Math.ceil(height)}px`;
  }
});

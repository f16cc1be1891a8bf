// Runs inside /embed/<slug> (the card in an iframe): tells the parent page the height of
// the content, in the message AMP and Iframely hosts already understand, whenever it
// changes (the photo loading, a status message appearing, a narrower frame).
const post = () => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  parent.postMessage({ sentinel: "amp", type: "embed-size", height }, "*");
};
new ResizeObserver(post).observe(document.documentElement);
post();

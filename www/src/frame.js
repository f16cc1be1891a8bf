// Runs inside /embed/<slug> (the card in an iframe). Tells the page holding the frame the
// height of the content whenever it changes (the photo loading, a status message, a
// narrower frame): in the message AMP and Iframely hosts understand, and, when the frame
// was given a WordPress secret (`#?secret=…`, what WordPress adds to the embeds it
// discovers), in WordPress's embed protocol too.
const secret = /[#&?]secret=([A-Za-z0-9]+)/.exec(location.hash)?.[1];

const post = () => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  parent.postMessage({ sentinel: "amp", type: "embed-size", height }, "*");
  if (secret) parent.postMessage({ message: "height", value: height, secret }, "*");
};
new ResizeObserver(post).observe(document.documentElement);
post();

// The signup names the page that holds the frame, as far as its referrer policy tells (the
// card reads it from here; WordPress's default policy gives the site's origin only).
if (document.referrer) document.documentElement.dataset.articleEmbedPage = document.referrer;

// A frame sandboxed without allow-forms (WordPress's) has the browser block a form's
// submission before any submit event; Subscribe is still clicked (on Enter too, by
// implicit submission), so the click hands the card its submit event itself.
addEventListener("click", (event) => {
  const button = event.composedPath().find((node) => node.getAttribute?.("part") === "submit");
  if (!button?.form || event.defaultPrevented) return;
  event.preventDefault();
  button.form.dispatchEvent(new SubmitEvent("submit", { bubbles: true, cancelable: true, submitter: button }));
});

if (secret) {
  // wp-embed.js says when it is ready to listen, in case the height came before it.
  addEventListener("message", (event) => {
    if (event.source === parent && event.data?.message === "ready" && event.data.secret === secret) post();
  });
  // WordPress's sandbox lets the frame navigate only itself: the story opens in the page
  // instead, which WordPress does for links on the frame's own host (this one redirects).
  addEventListener("click", (event) => {
    const link = event.composedPath().find((node) => node.localName === "a" && node.getAttribute?.("part") === "link");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    const story = new URL(`${location.pathname.replace(/\/$/, "")}/story`, location.href).href;
    parent.postMessage({ message: "link", value: story, secret }, "*");
  });
}

// Markdown from the assistant, made safe: marked (GFM, code blocks) turns it into HTML in which any raw HTML
// the model wrote is escaped (it shows as text: `<img src=x onerror=…>` stays those characters), then
// DOMPurify removes whatever else could run or load (scripts, handlers, javascript: links, images) and hands
// back DOM nodes, so no module of ours parses HTML into the page itself. Both libraries load on first use, not with the first page.
const MARKED = '/webjars/marked/15.0.7/lib/marked.esm.js';
const PURIFY = '/webjars/dompurify/3.2.4/dist/purify.es.mjs';

let loaded = null;

function escape(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Loads both libraries (once); resolves to a function from markdown text to a DocumentFragment. */
export function markdownRenderer() {
  if (!loaded) {
    loaded = Promise.all([import(MARKED), import(PURIFY)]).then(([m, p]) => {
      const marked = new m.Marked({ gfm: true, breaks: true, async: false });
      marked.use({ renderer: { html: (token) => escape(token.text ?? token.raw ?? '') } });
      const purify = p.default;
      return (text) => purify.sanitize(marked.parse(text), {
        RETURN_DOM_FRAGMENT: true,
        FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'iframe', 'svg', 'math'],
        FORBID_ATTR: ['style'],
      });
    });
    loaded.catch(() => { loaded = null; });
  }
  return loaded;
}

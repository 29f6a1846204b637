// h builds DOM nodes from plain values. Text always goes in as text nodes,
// never as markup, so names and titles typed by others cannot inject HTML.
export function h (tag, props, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v)
    } else if (k === 'class') {
      el.className = v
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v)
    } else if (k in el && typeof v !== 'string') {
      el[k] = v
    } else {
      el.setAttribute(k, v === true ? '' : String(v))
    }
  }
  append(el, children)
  return el
}

function append (el, children) {
  for (const c of children) {
    if (c == null || c === false) continue
    if (Array.isArray(c)) append(el, c)
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)))
  }
}

// live keeps an element's text (and optional attributes) in step with the
// current language: render is called now and after every switch.
export function live (el, render, onLangChange) {
  const apply = () => render(el)
  apply()
  onLangChange(apply)
  return el
}

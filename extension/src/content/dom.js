/** Tiny element builder for the card and dialog (no innerHTML: finding text is data, never markup). */
export function h(doc, tag, props = {}, ...children) {
  const el = doc.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2).toLowerCase(), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** A button that never takes focus from the editor (mousedown would move focus and the caret). */
export function quietButton(doc, label, action, props = {}) {
  return h(doc, 'button', {
    type: 'button',
    tabindex: '-1',
    ...props,
    onMousedown: (e) => e.preventDefault(),
    onClick: (e) => {
      e.preventDefault();
      e.stopPropagation();
      action();
    },
  }, label);
}

/** "a confidential client" → "A confidential client". */
export function sentenceCase(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : '';
}

// The little of the DOM that lib/dom.js's el() uses, for rendering a panel's parts under node:
// elements with a class, a dataset, children and text, and a walk to find them again.

class FakeText {
  constructor(text) {
    this.textContent = String(text);
  }
}

export class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.className = "";
    this.id = "";
    this.title = "";
    this.dataset = {};
    this.style = {};
    this.attributes = {};
    this.children = [];
  }

  append(...nodes) {
    for (const n of nodes) this.children.push(typeof n === "object" ? n : new FakeText(n));
  }

  replaceChildren(...nodes) {
    this.children = [];
    this.append(...nodes);
  }

  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }

  get textContent() {
    return this.children.map((c) => c.textContent).join("");
  }

  set textContent(text) {
    this.children = [new FakeText(text)];
  }

  // Every element under this one (itself included) that `match` accepts.
  findAll(match) {
    const found = match(this) ? [this] : [];
    for (const c of this.children) if (c instanceof FakeElement) found.push(...c.findAll(match));
    return found;
  }

  hasClass(name) {
    return this.className.split(/\s+/).includes(name);
  }
}

export function installFakeDom() {
  globalThis.document = { createElement: (tag) => new FakeElement(tag) };
}

// The parts a panel renders, under one element to search.
export function holder(parts) {
  const root = new FakeElement("div");
  root.append(...parts);
  return root;
}

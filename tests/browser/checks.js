// The checks that run inside a page. Each function is passed to page.evaluate, so it must be
// self-contained: no closures over module scope.
'use strict';

/** WCAG 1.4.12 text spacing, as the usual bookmarklet injects it. */
const TEXT_SPACING_CSS = `
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
`;

/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core (already injected) and returns violations and incomplete results. */
async function runAxe(tags) {
  const result = await window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations', 'incomplete'],
  });
  const flatten = (list) => list.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.map((node) => ({
      target: node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', '),
      summary: (node.failureSummary || '').replace(/\s+/g, ' ').trim(),
    })),
  }));
  return { violations: flatten(result.violations), incomplete: flatten(result.incomplete), rules: result.passes.length + result.violations.length + result.incomplete.length + result.inapplicable.length };
}

/**
 * Horizontal scrolling of the whole page. Returns null when the page does not scroll sideways,
 * otherwise the widths and the outermost elements that stick out to the right.
 */
function horizontalScroll() {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (el.classList.length) s += `.${[...el.classList].join('.')}`;
    return s;
  };
  // An element inside a box that scrolls or clips sideways is only a culprit if it is positioned
  // out of that box (position absolute or fixed, with the box not its containing block).
  const contained = (el) => {
    const position = getComputedStyle(el).position;
    if (position === 'fixed') return false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX !== 'visible') return position !== 'absolute' || style.position !== 'static';
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0 && getComputedStyle(el).position !== 'absolute') continue;
    if (rect.right > width + 0.5 && !contained(el)) {
      // Report only the outermost offender, not every descendant of it.
      const parent = el.parentElement;
      const parentRect = parent && parent.getBoundingClientRect();
      if (parent && parent !== document.body && parentRect.right > width + 0.5 && !contained(parent)) continue;
      culprits.push(`${describe(el)} (right edge at ${Math.round(rect.right)}px)`);
      if (culprits.length >= 5) break;
    }
  }
  return { scrollWidth: root.scrollWidth, clientWidth: width, culprits };
}

/**
 * Text clipped by its container: an element with overflow hidden or clip whose content is
 * bigger than its box and that contains visible text. Elements hidden on purpose for screen
 * readers (a 1 by 1 pixel clipped box, the usual visually-hidden pattern) are not content loss.
 */
function clippedText() {
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.documentElement && parts.length < 4; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) s += `#${e.id}`;
      if (e.classList.length) s += `.${[...e.classList].join('.')}`;
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  const clips = (value) => value === 'hidden' || value === 'clip';
  const found = [];
  for (const el of document.querySelectorAll('body, body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const clipX = clips(style.overflowX);
    const clipY = clips(style.overflowY);
    const lineClamp = style.webkitLineClamp && style.webkitLineClamp !== 'none';
    if (!clipX && !clipY && !lineClamp) continue;
    if (el.clientWidth <= 1 && el.clientHeight <= 1) continue; // visually hidden on purpose
    const text = (el.innerText || '').trim();
    if (!text) continue;
    const overY = el.scrollHeight - el.clientHeight;
    const overX = el.scrollWidth - el.clientWidth;
    if ((clipY || lineClamp) && overY > 1) {
      found.push(`${describe(el)}: ${overY}px of text cut off at the bottom ("${text.slice(0, 60)}")`);
    } else if (clipX && overX > 1) {
      found.push(`${describe(el)}: ${overX}px of text cut off at the side ("${text.slice(0, 60)}")`);
    }
  }
  return found;
}

/**
 * Labels that run out of the box drawn round them: an element with a border on both sides (a
 * diagram's box, a tag) or a table cell whose text is wider or taller than the element, though
 * nothing clips it. The text is still there but crosses the lines, as a cut-off label in a
 * drawn diagram would.
 */
function spilledLabels() {
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (el.classList.length) s += `.${[...el.classList].join('.')}`;
    return s;
  };
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.display === 'inline' || style.visibility === 'hidden') continue;
    if (style.overflowX !== 'visible' || style.overflowY !== 'visible') continue;
    const boxed = (parseFloat(style.borderLeftWidth) > 0 && parseFloat(style.borderRightWidth) > 0) || el.tagName === 'TD' || el.tagName === 'TH';
    if (!boxed) continue;
    if (el.clientWidth <= 1 && el.clientHeight <= 1) continue;
    const text = (el.innerText || '').trim();
    if (!text) continue;
    // Text sticking out: the rectangles of its own visible text, not positioned decoration,
    // and not text hidden for screen readers or clipped by a box inside it (clippedText's part).
    const box = el.getBoundingClientRect();
    const unseen = (node) => {
      for (let a = node.parentElement; a && a !== el; a = a.parentElement) {
        if (a.clientWidth <= 1 && a.clientHeight <= 1) return true;
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let spills = false;
    for (let node = walker.nextNode(); node && !spills; node = walker.nextNode()) {
      if (!node.textContent.trim() || unseen(node)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width === 0) continue;
        if (rect.right > box.right + 1 || rect.left < box.left - 1 || rect.bottom > box.bottom + 1) spills = true;
      }
    }
    if (spills) found.push(`${describe(el)}: "${text.slice(0, 50)}" runs out of its box`);
  }
  return found;
}

/**
 * Page structure, the GOV.UK way: the expected language, a title, one main landmark, all content
 * outside it in landmarks (header, nav, footer), exactly one h1 and it comes first, no skipped
 * heading levels, and, when anything focusable comes before the main content, a skip link to it
 * as the very first focusable element.
 */
function structure(expectedLang) {
  const problems = [];
  const lang = document.documentElement.getAttribute('lang');
  if (lang !== expectedLang) problems.push(`html lang is ${JSON.stringify(lang)}, expected "${expectedLang}"`);
  if (!document.title.trim()) problems.push('the page has no title');
  const mains = document.querySelectorAll('main, [role="main"]');
  if (mains.length !== 1) problems.push(`${mains.length} main landmarks, expected 1`);
  const main = mains[0];

  const landmark = 'main, [role="main"], header, [role="banner"], nav, [role="navigation"], footer, [role="contentinfo"], aside, [role="complementary"], [role="search"], section[aria-label], section[aria-labelledby], [role="region"]';
  const focusable = [...document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')];
  const first = focusable[0];
  const isSkipLink = (el) => el && el.tagName === 'A' && /^#./.test(el.getAttribute('href') || '') && main && !main.contains(el);
  // Text outside every landmark is missed by people who move around a page by its landmarks.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const outside = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const parent = node.parentElement;
    if (!parent || parent.closest(landmark) || parent.closest('script, style, noscript, template')) continue;
    if (isSkipLink(first) && first.contains(node)) continue;
    if (!parent.getClientRects().length) continue; // not rendered
    outside.push(node.textContent.trim().slice(0, 40));
  }
  if (outside.length) problems.push(`text outside any landmark: ${outside.slice(0, 3).map((t) => `"${t}"`).join(', ')}`);

  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')];
  const levelOf = (h) => (h.getAttribute('role') === 'heading' ? Number(h.getAttribute('aria-level') || 2) : Number(h.tagName[1]));
  const h1s = headings.filter((h) => levelOf(h) === 1);
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 headings, expected exactly 1`);
  if (headings.length && levelOf(headings[0]) !== 1) problems.push(`the first heading is h${levelOf(headings[0])} ("${headings[0].textContent.trim().slice(0, 50)}"), not the h1`);
  for (let i = 1; i < headings.length; i += 1) {
    const previous = levelOf(headings[i - 1]);
    const level = levelOf(headings[i]);
    if (level > previous + 1) problems.push(`heading level skipped: h${previous} then h${level} ("${headings[i].textContent.trim().slice(0, 50)}")`);
  }
  if (h1s.length === 1 && main && !main.contains(h1s[0])) problems.push('the h1 is not inside the main landmark');

  // A skip link is needed when a keyboard user would otherwise tab through things first.
  const beforeMain = main ? focusable.filter((el) => !main.contains(el) && (main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)) : [];
  if (beforeMain.length) {
    if (!isSkipLink(first)) {
      problems.push(`${beforeMain.length} focusable elements come before the main content, but the first is not a skip link to it ("${(first.textContent || '').trim().slice(0, 40)}")`);
    } else {
      const target = document.getElementById(decodeURIComponent(first.getAttribute('href').slice(1)));
      if (!target) problems.push(`the skip link's target ${first.getAttribute('href')} does not exist`);
      else if (target !== main && !main.contains(target)) problems.push('the skip link does not lead to the main content');
      if (!/skip/i.test(first.textContent)) problems.push(`the skip link does not say it skips: "${first.textContent.trim()}"`);
    }
  }
  return problems;
}

/**
 * Focus visible: every focusable element must look different when focused. The caller focuses
 * the first element with the keyboard, so the browser is in keyboard (focus-visible) mode.
 * The first focusable element, the skip link, must also come on screen when focused.
 */
function focusVisible() {
  const snapshot = (el) => {
    const s = getComputedStyle(el);
    return {
      // A transparent outline (kept for Windows high-contrast mode) is not visible focus.
      outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !/rgba\(.*, 0\)$|transparent/.test(s.outlineColor) ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : 'none',
      boxShadow: s.boxShadow,
      background: s.backgroundColor,
    };
  };
  const describe = (el) => `${el.tagName.toLowerCase()}${el.getAttribute('class') ? `.${el.getAttribute('class').trim().split(/\s+/).join('.')}` : ''} "${(el.textContent || '').trim().slice(0, 40)}"`;
  const problems = [];
  const all = [...document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')];
  const first = all[0];
  const main = document.querySelector('main, [role="main"]');
  const skip = first && first.tagName === 'A' && /^#./.test(first.getAttribute('href') || '') && main && !main.contains(first) ? first : null;
  if (first && document.activeElement !== first) problems.push('the first Tab press did not focus the first focusable element');
  if (skip && document.activeElement === skip) {
    const rect = skip.getBoundingClientRect();
    const inView = rect.width >= 24 && rect.height >= 24 && rect.left >= 0 && rect.top >= 0 && rect.right <= innerWidth;
    if (!inView) problems.push(`the skip link is not on screen (at least 24 by 24 px) when focused: ${Math.round(rect.left)},${Math.round(rect.top)} ${Math.round(rect.width)}x${Math.round(rect.height)}`);
  }
  for (const el of all) {
    if (el !== skip && !el.getClientRects().length) continue; // not rendered
    el.blur();
    const before = snapshot(el);
    el.focus();
    if (document.activeElement !== el) {
      problems.push(`${describe(el)} cannot take focus`);
      continue;
    }
    const after = snapshot(el);
    const outline = after.outline !== 'none' && after.outline !== before.outline;
    const shadow = after.boxShadow !== 'none' && after.boxShadow !== before.boxShadow;
    const background = after.background !== before.background;
    if (!outline && !shadow && !background) problems.push(`${describe(el)} looks the same when focused (no outline, box-shadow or background change)`);
    el.blur();
  }
  return problems;
}

/**
 * The computed font size of every element that has its own text. Text inside an inline SVG
 * drawing is left out: it is part of a picture that scales as a whole (with its width and the
 * browser's zoom), and the pages give its content as text as well.
 */
function fontSizes() {
  const sizes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  for (let el = walker.currentNode; el; el = walker.nextNode()) {
    const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!ownText || el.closest('svg')) continue;
    sizes.push(parseFloat(getComputedStyle(el).fontSize));
  }
  return sizes;
}

/** The elements whose text did not grow with the user's default font size. */
function fontSizesNotScaled({ before, factor }) {
  const describe = (el) => `${el.tagName.toLowerCase()}${el.getAttribute('class') ? `.${el.getAttribute('class').trim().split(/\s+/).join('.')}` : ''} "${(el.textContent || '').trim().slice(0, 40)}"`;
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  let i = 0;
  for (let el = walker.currentNode; el; el = walker.nextNode()) {
    const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!ownText || el.closest('svg')) continue;
    const now = parseFloat(getComputedStyle(el).fontSize);
    const was = before[i];
    i += 1;
    if (Math.abs(now - was * factor) > 1) {
      problems.push(`${describe(el)}: ${was}px became ${now}px, expected ${+(was * factor).toFixed(1)}px`);
      if (problems.length >= 5) break;
    }
  }
  if (i !== before.length && problems.length < 5) problems.push(`the page changed while measuring (${before.length} then ${i} text elements)`);
  return problems;
}

/**
 * Targets of at least 24 by 24 CSS pixels (WCAG 2.5.8, as GOV.UK and NHS.UK apply it): every
 * visible link, button or form control, except a link inside a sentence, whose block has more
 * text than the link itself (the "inline" exception).
 */
function smallTargets() {
  const describe = (el) => `${el.tagName.toLowerCase()}${el.getAttribute('class') ? `.${el.getAttribute('class').trim().split(/\s+/).join('.')}` : ''} "${(el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
  const squash = (text) => (text || '').replace(/[\s:.,;()]+/g, '');
  const problems = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, summary')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue; // not rendered, or the skip link off screen
    if (el.classList.contains('skip-link') && rect.right <= 0) continue;
    const block = el.parentElement && el.parentElement.closest('p, li, dd, dt, td, th, h1, h2, h3, h4, h5, h6, div, nav, header, footer, main, body');
    const inSentence = el.tagName === 'A' && block && squash(block.innerText).length > squash(el.innerText).length;
    if (inSentence) continue;
    if (rect.width < 23.5 || rect.height < 23.5) problems.push(`${describe(el)} is ${+rect.width.toFixed(1)} by ${+rect.height.toFixed(1)} px, less than 24 by 24`);
  }
  return problems;
}

/**
 * Link text that makes sense out of context, as in a screen reader's list of links: no vague
 * text ("click here", "read more"), and the same text never leads to two different places.
 * A link in a data table cell is read with its row and column headers (WCAG 2.4.4, in context),
 * so those headers count as part of its text.
 */
function linkText() {
  const vague = /^(click here|click|here|read more|more|more info|more information|find out more|learn more|link|this link|this page|details|continue|go)$/i;
  const names = new Map();
  const problems = [];
  for (const a of document.querySelectorAll('a[href]')) {
    let name = a.getAttribute('aria-label');
    if (!name) {
      const clone = a.cloneNode(true);
      for (const img of clone.querySelectorAll('img[alt]')) img.replaceWith(img.getAttribute('alt'));
      name = clone.textContent;
    }
    name = name.replace(/\s+/g, ' ').trim();
    const cell = a.closest('td');
    const context = [];
    if (cell) {
      const row = cell.parentElement;
      const rowHeader = row.querySelector('th[scope="row"], th:first-child');
      if (rowHeader && rowHeader !== cell) context.push(rowHeader.textContent);
      const table = cell.closest('table');
      const columnHeader = table && table.querySelectorAll('thead th, tr:first-child th')[cell.cellIndex];
      if (columnHeader) context.push(columnHeader.textContent);
    }
    if (vague.test(name.replace(/[.:!]+$/, ''))) problems.push(`the link text "${name}" does not say where it goes`);
    const href = a.href.replace(/#.*$/, (hash) => (hash === '#' ? '' : hash));
    const key = [name, ...context.map((t) => t.replace(/\s+/g, ' ').trim())].join(' | ');
    if (!names.has(key)) names.set(key, new Set());
    names.get(key).add(href);
  }
  for (const [name, hrefs] of names) {
    if (hrefs.size > 1) problems.push(`the link text "${name.slice(0, 60)}" leads to ${hrefs.size} different places: ${[...hrefs].map((h) => h.replace(location.origin, '')).join(', ')}`);
  }
  return problems;
}

module.exports = {
  TEXT_SPACING_CSS,
  AXE_TAGS,
  runAxe,
  horizontalScroll,
  clippedText,
  spilledLabels,
  structure,
  focusVisible,
  fontSizes,
  fontSizesNotScaled,
  smallTargets,
  linkText,
};

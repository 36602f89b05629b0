/**
 * The HTML report's navigation (inlined): one step shown at a time, previous/next buttons, the
 * step list, the arrow keys (and Home/End), and `#step-N` in the address to open a step. Without
 * script every step stays visible, one under the other.
 */
export const reportScript = `
(() => {
  const steps = Array.from(document.querySelectorAll('section.step'));
  const links = Array.from(document.querySelectorAll('.steplist a'));
  const prev = document.getElementById('prev');
  const next = document.getElementById('next');
  const position = document.getElementById('position');
  const last = steps.length - 1;
  let current = 0;
  const show = (i) => {
    current = Math.max(0, Math.min(last, i));
    steps.forEach((s, k) => { s.hidden = k !== current; });
    links.forEach((a, k) => {
      if (k === current) a.setAttribute('aria-current', 'step');
      else a.removeAttribute('aria-current');
    });
    position.textContent = 'Step ' + current + ' of ' + last;
    prev.disabled = current === 0;
    next.disabled = current === last;
    // Keep keyboard focus with the step shown when it was on the step list.
    const focused = document.activeElement;
    if (focused && focused.closest && focused.closest('.steplist')) links[current].focus();
  };
  document.documentElement.classList.add('js');
  prev.addEventListener('click', () => show(current - 1));
  next.addEventListener('click', () => show(current + 1));
  links.forEach((a, k) => a.addEventListener('click', (e) => { e.preventDefault(); show(k); }));
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown' || e.key === 'j') show(current + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp' || e.key === 'k') show(current - 1);
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(last);
    else return;
    e.preventDefault();
  });
  const m = /^#step-(\\d+)$/.exec(location.hash);
  show(m ? Number(m[1]) : 0);
})();
`;

/**
 * After an action whose button is gone (a form closed, a row changed), the keyboard continues at the
 * page's heading instead of falling back to the start of the document (WCAG 2.4.3 focus order).
 */
export function focusHeading(): void {
  requestAnimationFrame(() => {
    const heading = document.querySelector<HTMLElement>('main h1');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
  });
}

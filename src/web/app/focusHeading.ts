import { useEffect, useRef, type RefObject } from 'react';

/**
 * Moves the focus to the page's title when the user has taken the page to something else in place:
 * the dashboard drilled into another area from a ranking's name, a chart's table or the map. The
 * control they used goes with the content it was in, and the focus would fall to the page's body: a
 * keyboard user would start again from the top, and a screen reader would say nothing of where they
 * are. The title names the new area, and the next Tab goes on from the top of the new content.
 * `key` names what the page shows (the area's code), undefined while it is not known yet; the focus
 * stays where it is on the first thing shown and when the same is shown again (a reload, another
 * period). Give the ref to the page's h1 (PageHeader's headingRef), which can then take the focus
 * from script while Tab still passes it by. Kept apart from the other hooks, as focusReturn is.
 */
export function useFocusHeadingOn(key: string | undefined): RefObject<HTMLHeadingElement | null> {
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (headingMoves(shown.current, key)) heading.current?.focus();
    if (key !== undefined) shown.current = key;
  }, [key]);
  return heading;
}

/** Whether the page went from showing one thing (`before`, the last known) to showing another (`now`). */
export function headingMoves(before: string | undefined, now: string | undefined): boolean {
  return before !== undefined && now !== undefined && now !== before;
}

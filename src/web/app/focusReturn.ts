import { useEffect, useRef } from 'react';

/**
 * Gives the focus back to what opened a dialog once it has closed, so a keyboard user goes on where
 * they were. Ant Design's Modal means to, but it notes where the focus was only after its focus trap
 * has moved it inside, and not at all when the dialog is taken away rather than closed; its Drawer
 * gives it back only after sliding out, and not at all when closed while still sliding in (with
 * destroyOnHidden the drawer is then taken away at once). The opener is taken here while the dialog
 * is being drawn, and given back as soon as it closes. A dialog shown only while mounted passes no
 * `open` (it is open while mounted), and gives the focus back as it goes. Kept apart from the other
 * hooks, which need Ant Design: the field app's and the resident's dialogs use it without loading it.
 */
export function useFocusReturn(open = true): void {
  const opener = useRef<HTMLElement | null>(null);
  const wasOpen = useRef(false);
  if (open && !wasOpen.current && document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
  wasOpen.current = open;
  const giveBack = () => {
    // the button may be gone (the action moved the case on): the focus then stays where the page put it
    if (opener.current?.isConnected) opener.current.focus({ preventScroll: true });
    opener.current = null;
  };
  useEffect(() => {
    if (!open) giveBack();
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => giveBack(), []); // eslint-disable-line react-hooks/exhaustive-deps
}

import { Tooltip, type TooltipProps } from 'antd';
import { cloneElement, useState, type MouseEvent, type ReactElement } from 'react';

type Hintable = ReactElement<{ onMouseEnter?: (e: MouseEvent) => void }>;

/**
 * A hover hint that becomes an antd Tooltip the first time the pointer reaches its element. A list
 * of fifty cases carries three hints a row; a full tooltip mounted for each one made the command
 * centre's first draw noticeably slower, and nobody reads them all.
 */
export function HintTooltip({ title, placement, children }: { title: TooltipProps['title']; placement?: TooltipProps['placement']; children: Hintable }) {
  const [armed, setArmed] = useState(false);
  if (armed) {
    return (
      <Tooltip title={title} placement={placement} defaultOpen>
        {children}
      </Tooltip>
    );
  }
  return cloneElement(children, {
    onMouseEnter: (e: MouseEvent) => {
      children.props.onMouseEnter?.(e);
      setArmed(true);
    },
  });
}

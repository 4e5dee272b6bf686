import { Alert } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';

/**
 * What went wrong, announced (role=alert) and, after something the user did (a form sent, a button
 * pressed), focused: the button they pressed is disabled while it works and loses the focus, so the
 * keyboard user continues from the message, not from the top of the page.
 */
export function ProblemAlert({ title, children, focus = false }: { title?: string; children: ReactNode; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus, children]);
  return (
    <Alert ref={ref} color="red" role="alert" tabIndex={-1} title={title}>
      {children}
    </Alert>
  );
}

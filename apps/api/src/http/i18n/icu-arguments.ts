import { IntlMessageFormat } from 'intl-messageformat';

/** The names of a message's ICU arguments, however deeply nested in plural or select branches. */
export function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: unknown[]) => {
    for (const node of nodes as Array<{ value?: unknown; options?: Record<string, { value: unknown[] }>; children?: unknown[] }>) {
      if (typeof node.value === 'string' && 'type' in node && (node as { type: number }).type !== 0 && (node as { type: number }).type !== 7)
        names.add(node.value);
      for (const option of Object.values(node.options ?? {})) walk(option.value);
      if (node.children) walk(node.children);
    }
  };
  walk(new IntlMessageFormat(message, 'en').getAst());
  return [...names].sort();
}

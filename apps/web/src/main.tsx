import '@mantine/core/styles.css';
import './styles.css';
import { createTheme, darken, MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionProvider } from './session/session';

// Colours with at least 4.5:1 contrast on white for text and filled buttons (WCAG 2.1 AA).
const theme = createTheme({ primaryColor: 'blue', primaryShade: { light: 8, dark: 5 }, defaultRadius: 'sm' });
// Mantine's own greys and tints miss WCAG AA's 4.5:1 for text (axe: color-contrast): dimmed text (gray 6,
// 3.3:1 on white), error text (red 6) and the light variant's text on its tint (blue 6 on blue 0, the
// active menu entry, 4.0:1 under the pointer). Darker shades of the same colours, through Mantine's variables.
const contrast: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-error': t.colors.red[9],
    '--mantine-color-blue-light-hover': t.colors.blue[1], // blue 2 under the pointer left blue 9 at 4.0:1
    // the light variant's text in every colour a badge or button uses: shade 9 on its tint is 4.0:1 for
    // green, so a third darker still (blue 9 alone was enough; the same rule for all keeps them alike)
    ...Object.fromEntries(
      ['blue', 'green', 'red', 'gray', 'grape', 'orange', 'yellow', 'teal', 'violet'].map((c) => [
        `--mantine-color-${c}-light-color`,
        darken(t.colors[c][9], 0.3),
      ]),
    ),
  },
  dark: {},
});
const queries = new QueryClient({
  defaultOptions: {
    // A client's data is fetched when shown and not kept around longer than the screen needs it.
    queries: { retry: false, staleTime: 10_000, gcTime: 60_000, refetchOnWindowFocus: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={contrast}>
      <QueryClientProvider client={queries}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);

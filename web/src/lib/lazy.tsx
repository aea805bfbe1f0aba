import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';

/**
 * A page loaded on first visit (its own chunk): the citizens' pages then load without the console's
 * code (ECharts, the indicator editor…) and the console's pages only when opened. `name` is the
 * page module's named export.
 */
export function lazyPage<M extends Record<string, unknown>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
): ComponentType<PropsOf<M[K]>> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType<PropsOf<M[K]>> }));
}

/** The props of a component type (a page with props, e.g. the ledger's `mode`, keeps them when lazy). */
type PropsOf<C> = C extends ComponentType<infer P> ? P : never;

/** Shown while a page's chunk loads. */
export function PageFallback(): ReactNode {
  return (
    <div style={{ padding: 80, textAlign: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** A Suspense boundary with the page spinner. */
export function PageSuspense({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageFallback />}>{children}</Suspense>;
}

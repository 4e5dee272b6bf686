import { IS_PUBLIC, POLICY, type RoutePolicy } from '@app/access';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';

export interface RouteEntry {
  method: string;
  path: string;
  /** `public`, `<permission> (<action> <Subject>)`, or `NONE` when the route declares neither (a defect). */
  access: string;
}

const joinPath = (...parts: Array<string | string[] | undefined>) =>
  '/' +
  parts
    .flatMap((p) => (Array.isArray(p) ? p[0] : p) ?? '')
    .map((p) => p.replace(/^\/|\/$/g, ''))
    .filter(Boolean)
    .join('/');

/** Every route of the given controllers with the access it declares, for the route snapshot and its test. */
export function routeInventory(controllers: Type[]): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const controller of controllers) {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
    const classPublic = Reflect.getMetadata(IS_PUBLIC, controller) === true;
    const classPolicy = Reflect.getMetadata(POLICY, controller) as RoutePolicy | undefined;
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const isPublic = Reflect.getMetadata(IS_PUBLIC, handler) === true || classPublic;
      const policy = (Reflect.getMetadata(POLICY, handler) as RoutePolicy | undefined) ?? classPolicy;
      entries.push({
        method: RequestMethod[method],
        path: joinPath(base, Reflect.getMetadata(PATH_METADATA, handler)),
        access: isPublic ? 'public' : policy ? `${policy.permission} (${policy.action} ${policy.subject})` : 'NONE',
      });
    }
  }
  return entries.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

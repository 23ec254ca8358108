/**
 * Route matching as the Functions host does it: ASP.NET-style templates (`v1/docs/{id}`,
 * `{id:guid}`, `{id?}`, `{*rest}`), case-insensitive literals, literals preferred over
 * parameters (`exports/history` wins over `exports/{id}`).
 */

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; optional: boolean; constraint?: string }
  | { kind: 'catchAll'; name: string };

export interface Route<T> {
  template: string;
  methods: string[];
  target: T;
  segments: Segment[];
}

export type RouteMatch<T> =
  | { kind: 'matched'; route: Route<T>; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; allowed: string[] }
  | { kind: 'notFound' };

function parseSegment(text: string): Segment {
  const param = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([^}?]+))?(\?)?\}$/.exec(text);
  if (!param) return { kind: 'literal', text: text.toLowerCase() };
  const [, star, name = '', constraint, optional] = param;
  return star ? { kind: 'catchAll', name } : { kind: 'param', name, optional: Boolean(optional), constraint };
}

const constraints: Record<string, RegExp> = {
  int: /^-?\d+$/,
  guid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  alpha: /^[a-z]+$/i,
};

/** Lower ranks sort first: literal segments beat parameters, parameters beat catch-alls. */
function precedence(route: Route<unknown>): string {
  return route.segments.map((s) => (s.kind === 'literal' ? '0' : s.kind === 'param' ? '1' : '2')).join('');
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const part = parts[i];
    if (!segment) return undefined;
    if (segment.kind === 'catchAll') {
      params[segment.name] = parts.slice(i).join('/');
      return params;
    }
    if (part === undefined) {
      return segment.kind === 'param' && segment.optional && i === segments.length - 1 ? params : undefined;
    }
    if (segment.kind === 'literal') {
      if (segment.text !== part.toLowerCase()) return undefined;
      continue;
    }
    const constraint = segment.constraint ? constraints[segment.constraint.toLowerCase()] : undefined;
    if (constraint && !constraint.test(part)) return undefined;
    params[segment.name] = part;
  }
  return parts.length === segments.length ? params : undefined;
}

export class Router<T> {
  private readonly routes: Route<T>[] = [];

  add(template: string, methods: string[], target: T): void {
    const segments = template.split('/').filter(Boolean).map(parseSegment);
    this.routes.push({ template, methods: methods.map((m) => m.toUpperCase()), target, segments });
    this.routes.sort((a, b) => precedence(a).localeCompare(precedence(b)));
  }

  match(method: string, path: string): RouteMatch<T> {
    let parts: string[];
    try {
      parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return { kind: 'notFound' };
    }
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.methods.includes(method.toUpperCase())) return { kind: 'matched', route, params };
      route.methods.forEach((m) => allowed.add(m));
    }
    return allowed.size > 0 ? { kind: 'methodNotAllowed', allowed: [...allowed] } : { kind: 'notFound' };
  }
}

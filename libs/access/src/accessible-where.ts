import { rulesToAST } from '@casl/ability/extra';
import type { Action, AppAbility, SubjectName } from './ability.js';

/** A SQL boolean expression with its positional parameters, to be spliced into a WHERE clause. */
export interface SqlFilter {
  sql: string;
  params: unknown[];
}

interface AstNode {
  operator: string;
  field?: string;
  value: unknown;
}

/**
 * Turns the CASL rules for (action, subject) into a SQL predicate, so list queries are filtered in
 * the database by exactly the rules `ability.can` applies per record. Only the operators our rules
 * use are supported; anything else throws rather than silently widening access.
 *
 * @param columns maps subject fields to qualified SQL columns (e.g. `organisationId` -> `u.organisation_id`)
 * @param firstParam index of the first `$n` placeholder this predicate may use
 */
export function accessibleWhere(
  ability: AppAbility,
  action: Action,
  subjectType: Exclude<SubjectName, 'all'>,
  columns: Record<string, string>,
  firstParam = 1,
): SqlFilter {
  const ast = rulesToAST(ability, action, subjectType) as AstNode | null;
  if (ast === null) return { sql: 'FALSE', params: [] };
  const params: unknown[] = [];
  const placeholder = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const column = (field: string | undefined) => {
    const col = field === undefined ? undefined : columns[field];
    if (!col) throw new Error(`accessibleWhere: no column mapped for field "${field}" of ${subjectType}`);
    return col;
  };
  const render = (node: AstNode): string => {
    const children = () => (node.value as AstNode[]).map(render);
    switch (node.operator) {
      case 'and': {
        const parts = children();
        return parts.length === 0 ? 'TRUE' : `(${parts.join(' AND ')})`;
      }
      case 'or': {
        const parts = children();
        return parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`;
      }
      case 'not': {
        const inner = Array.isArray(node.value) ? (node.value as AstNode[]) : [node.value as AstNode];
        return `NOT (${inner.map(render).join(' AND ')})`;
      }
      case 'eq':
        return node.value === null ? `${column(node.field)} IS NULL` : `${column(node.field)} = ${placeholder(node.value)}`;
      case 'ne':
        return `${column(node.field)} IS DISTINCT FROM ${placeholder(node.value)}`;
      case 'in':
        return `${column(node.field)} = ANY(${placeholder(node.value)})`;
      default:
        throw new Error(`accessibleWhere: operator "${node.operator}" is not supported`);
    }
  };
  return { sql: render(ast), params };
}

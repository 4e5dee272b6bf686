import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Holds every answer the tests receive to the OpenAPI 3.1 document the service publishes, so the web
 * app's generated client (apps/web/src/api) can trust it: the status must be documented for the
 * operation, the content type too, and a JSON body must satisfy its schema (JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1, checked by Ajv). Files (CSV, PDF, documents) are checked by status and type.
 *
 * An answer that breaks the document is turned into a 500 naming the break, so the test that made the
 * request fails where it made it; `violations` keeps them all for the app's close().
 */
export interface OpenApiContract {
  readonly violations: string[];
  /**
   * The document lists 500 on every route (a bug answers it), so a 500 is no break of the document;
   * but a test that did not ask for one has met a bug, which is recorded as a violation. A test that
   * provokes 500s on purpose (the audit trail failing closed) says so here.
   */
  allowServerErrors(allowed: boolean): void;
  /** Takes the served document; answers before this are not checked (there are none: it runs at start). */
  load(served: any): void;
}

/** What is not part of the API: the web app's files, the documentation pages, the redirect to the app. */
const OUTSIDE_THE_API = /^\/(app(\/|$)|docs(\/|$)|$)/;
const DOCUMENT_ID = 'urn:casework:openapi';

export function watchContract(fastify: FastifyInstance): OpenApiContract {
  let document: any = null;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  // ajv-formats is CommonJS: under NodeNext its default import is the module, whose `default` is the plugin.
  addFormats.default(ajv);
  const validators = new Map<string, ValidateFunction>();
  const violations: string[] = [];
  let serverErrorsAllowed = false;

  const validatorFor = (pointer: string): ValidateFunction => {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      validators.set(pointer, validate);
    }
    return validate;
  };

  const check = (request: FastifyRequest, reply: FastifyReply, payload: unknown): string | null => {
    const path = request.url.split('?')[0];
    if (request.method === 'HEAD' || request.method === 'OPTIONS' || OUTSIDE_THE_API.test(path)) return null;
    const status = String(reply.statusCode);
    if (reply.statusCode === 500 && !serverErrorsAllowed)
      return `${request.method} ${request.routeOptions?.url ?? path} answered 500 (a bug, unless the test asked for it)`;
    const type = String(reply.getHeader('content-type') ?? '')
      .split(';')[0]
      .trim();
    const route = request.routeOptions?.url;
    // An address no route matches (Fastify's 404) has no operation: its answer is still a problem document.
    const template = route?.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation = template ? document.paths[template]?.[request.method.toLowerCase()] : undefined;
    if (template && !operation) return `${request.method} ${template} is not in the document`;
    const responsePointer = operation ? `/paths/${escape(template!)}/${request.method.toLowerCase()}/responses` : null;
    const responses = operation?.responses;
    const declared = responses ? (responses[status] ? status : responses.default ? 'default' : null) : null;
    if (responses && !declared) return `${request.method} ${template} answered ${status}, which the document does not list`;
    const content = declared ? responses[declared].content : { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } };
    if (!content)
      return reply.statusCode === 204 || payload == null || payload === ''
        ? null
        : `${request.method} ${template} ${status} has a body the document does not describe`;
    if (!content[type])
      return `${request.method} ${template ?? path} ${status} answered ${type || 'no content type'}; the document says ${Object.keys(content).join(', ')}`;
    if (!/json$/.test(type)) return null;
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    if (text === null) return `${request.method} ${template ?? path} ${status} streamed a JSON body, which this check cannot read`;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `${request.method} ${template ?? path} ${status} says ${type} but its body is not JSON`;
    }
    const validate = responsePointer
      ? validatorFor(`${responsePointer}/${escape(declared!)}/content/${escape(type)}/schema`)
      : validatorFor('/components/schemas/ProblemDetailsDto');
    if (validate(body)) return null;
    const errors = (validate.errors ?? []).slice(0, 5).map((error) => `${error.instancePath || '(body)'} ${error.message}`);
    return `${request.method} ${template ?? path} ${status} breaks its schema: ${errors.join('; ')}`;
  };

  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!document) return payload;
    const violation = check(request, reply, payload);
    if (!violation) return payload;
    violations.push(violation);
    reply.code(500).header('content-type', 'application/problem+json');
    return JSON.stringify({ type: 'urn:casework:test:openapi-contract', title: violation, status: 500, code: 'openapi-contract', instance: request.url });
  });

  return {
    violations,
    allowServerErrors(allowed) {
      serverErrorsAllowed = allowed;
    },
    load(served) {
      document = served;
      if (!/^3\.1\./.test(document.openapi)) throw new Error(`the served document is OpenAPI ${document.openapi}, not 3.1`);
      ajv.addSchema(document, DOCUMENT_ID);
    },
  };
}

/** A JSON pointer segment (RFC 6901) as a URI fragment has it, as in `/paths/~1clients~1%7Bid%7D/get`. */
function escape(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

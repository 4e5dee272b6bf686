import { DOCUMENT_MAX_BYTES, DOCUMENT_MEDIA_TYPES, type DocumentMediaType } from '@app/domain';
import { HttpException, HttpStatus, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import type { Observable } from 'rxjs';
import { ANY_CONTROL } from './hostile-input.js';

/** One uploaded document, read into memory. */
export interface UploadedDocument {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** One file, a few short fields: what the upload form sends, and no more. */
const LIMITS = { fileSize: DOCUMENT_MAX_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 5, headerPairs: 50 };
const FILE_FIELD = 'file';

/**
 * One uploaded document, read into memory by @fastify/multipart (at most DOCUMENT_MAX_BYTES; one file,
 * a few short fields) into `request.file` (`@UploadedFile()`) and `request.body`, and answered as
 * problem documents with the codes multer gave them: too large is a 413 `file-too-large`, anything else
 * malformed a 400 naming the field. A request that is not multipart goes on as it is (the DTO and
 * sniffDocument then say what is missing).
 */
@Injectable()
export class DocumentUpload implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // Where @UploadedFile() looks (multer's place for it), over @fastify/multipart's request.file().
    const exposeFile = (file: UploadedDocument | undefined) => Object.defineProperty(request, 'file', { value: file, configurable: true });
    if (!request.isMultipart()) {
      exposeFile(undefined);
      return next.handle();
    }
    const fields: Record<string, string> = Object.create(null);
    let file: UploadedDocument | undefined;
    try {
      for await (const part of request.parts({ limits: LIMITS })) {
        if (part.type === 'file') {
          if (part.fieldname !== FILE_FIELD || file) throw uploadMalformed(FILE_FIELD);
          const buffer = await part.toBuffer();
          file = { fieldname: part.fieldname, originalname: part.filename, mimetype: part.mimetype, size: buffer.length, buffer };
        } else {
          if (part.fieldnameTruncated) throw uploadMalformed('body');
          if (part.valueTruncated) throw uploadMalformed(part.fieldname);
          fields[part.fieldname] = String(part.value);
        }
      }
    } catch (error) {
      // The rest of the body is read and dropped, as multer did, so the answer reaches the client.
      request.raw.resume();
      throw uploadProblem(error);
    }
    request.body = fields;
    exposeFile(file);
    return next.handle();
  }
}

const uploadMalformed = (field: string) =>
  new HttpException({ code: 'validation-failed', fields: [{ field, code: 'upload-malformed' }] }, HttpStatus.BAD_REQUEST);

function uploadProblem(error: unknown): HttpException {
  if (error instanceof HttpException) return error;
  switch ((error as { code?: unknown })?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new HttpException({ code: 'file-too-large', fields: [{ field: FILE_FIELD, code: 'file-too-large' }] }, HttpStatus.PAYLOAD_TOO_LARGE);
    case 'FST_FILES_LIMIT':
      return uploadMalformed(FILE_FIELD);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_PROTO_VIOLATION':
      return uploadMalformed('body');
    default:
      // The multipart parser's own errors (a malformed part header, a control character in a file
      // name): the file is the one part a social worker sends that could carry them.
      return uploadMalformed(FILE_FIELD);
  }
}

/** What a document's content is, by its bytes; its name and the browser's word are not trusted. */
export async function sniffDocument(file: UploadedDocument | undefined): Promise<{ fileName: string; mediaType: DocumentMediaType; content: Buffer }> {
  if (!file || file.size === 0)
    throw new HttpException({ code: 'validation-failed', fields: [{ field: 'file', code: 'file-required' }] }, HttpStatus.BAD_REQUEST);
  const fileName = baseName(file.originalname);
  if (!fileName || ANY_CONTROL.test(fileName) || fileName.length > 255) {
    throw new HttpException({ code: 'validation-failed', fields: [{ field: 'file', code: 'file-name' }] }, HttpStatus.BAD_REQUEST);
  }
  const detected = await fileTypeFromBuffer(file.buffer);
  const mediaType = DOCUMENT_MEDIA_TYPES.find((type) => type === detected?.mime);
  if (!mediaType) {
    throw new HttpException(
      { code: 'unsupported-file-type', fields: [{ field: 'file', code: 'unsupported-file-type', params: { detected: detected?.ext ?? 'unknown' } }] },
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  return { fileName, mediaType, content: file.buffer };
}

/** The last part of a path a browser may send as the name ("C:\\fakepath\\cv.pdf"), trimmed. */
function baseName(name: string): string {
  return name.split(/[\\/]/).pop()!.trim();
}

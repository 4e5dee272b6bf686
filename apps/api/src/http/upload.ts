import { DOCUMENT_MAX_BYTES, DOCUMENT_MEDIA_TYPES, type DocumentMediaType } from '@app/domain';
import { HttpException, HttpStatus, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import multer, { MulterError } from 'multer';
import type { Observable } from 'rxjs';
import { ANY_CONTROL } from './hostile-input.js';

/**
 * One uploaded document, read into memory by multer (at most DOCUMENT_MAX_BYTES; one file, a few short
 * fields) and answered as problem documents: too large is a 413 `file-too-large`, anything else
 * malformed a 400 naming the field. File names are decoded as UTF-8 (multer's default is latin1, which
 * garbles "Curriculum vitae Sélène.pdf").
 */
const parse = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: DOCUMENT_MAX_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 5, headerPairs: 50 },
  defParamCharset: 'utf8',
}).single('file');

@Injectable()
export class DocumentUpload implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    await new Promise<void>((resolve, reject) =>
      parse(http.getRequest<Request>(), http.getResponse<Response>(), (error: unknown) => (error ? reject(uploadProblem(error)) : resolve())),
    );
    return next.handle();
  }
}

function uploadProblem(error: unknown): HttpException {
  if (error instanceof MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE')
      return new HttpException({ code: 'file-too-large', fields: [{ field: 'file', code: 'file-too-large' }] }, HttpStatus.PAYLOAD_TOO_LARGE);
    const field = error.code === 'LIMIT_UNEXPECTED_FILE' || error.code === 'LIMIT_FILE_COUNT' ? 'file' : (error.field ?? 'body');
    return new HttpException({ code: 'validation-failed', fields: [{ field, code: 'upload-malformed' }] }, HttpStatus.BAD_REQUEST);
  }
  // The multipart parser's own errors (a malformed part header, a control character in a file name):
  // the file is the one part a social worker sends that could carry them.
  return new HttpException({ code: 'validation-failed', fields: [{ field: 'file', code: 'upload-malformed' }] }, HttpStatus.BAD_REQUEST);
}

/** What a document's content is, by its bytes; its name and the browser's word are not trusted. */
export async function sniffDocument(file: Express.Multer.File | undefined): Promise<{ fileName: string; mediaType: DocumentMediaType; content: Buffer }> {
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

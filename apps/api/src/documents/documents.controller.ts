import { Requires } from '@app/access';
import { Ctx } from '@app/auth';
import { DOCUMENT_MEDIA_TYPES, DOCUMENTS_PER_LIST, DocumentService, type ClientDocument } from '@app/domain';
import { DATA_CATEGORIES, type RequestContext } from '@app/kernel';
import { Body, Controller, Get, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiProperty,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { create as contentDisposition } from 'content-disposition';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { DocumentUpload, sniffDocument, type UploadedDocument } from '../http/upload.js';

export class UploadDocumentDto {
  @ApiProperty({ enum: DATA_CATEGORIES, description: 'What the document is about; a partner reads it only where it may read that category' })
  @IsIn(DATA_CATEGORIES)
  category: (typeof DATA_CATEGORIES)[number];
}

export class ClientDocumentDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) id: string;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) clientId: string;
  @ApiProperty({ format: 'uuid', maxLength: 36, description: 'whose file the document is on' }) organisationId: string;
  @ApiProperty({ enum: DATA_CATEGORIES }) category: string;
  @ApiProperty({ example: 'GPMI 2026.pdf', maxLength: 255 }) fileName: string;
  @ApiProperty({ enum: DOCUMENT_MEDIA_TYPES, description: 'by content, not by name' }) mediaType: string;
  @ApiProperty({ maximum: 10485760 }) sizeBytes: number;
  @ApiProperty({ description: 'hex SHA-256 of the content', maxLength: 64 }) sha256: string;
  @ApiProperty({ format: 'uuid', maxLength: 36 }) uploadedByUserId: string;
  @ApiProperty({ type: String, format: 'date-time', maxLength: 30 }) createdAt: Date;
}

@ApiTags('Documents')
@ApiExtraModels(ClientDocumentDto)
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentService) {}

  @Post('clients/:id/documents')
  @Requires('document.create')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @UseInterceptors(DocumentUpload)
  @ApiOperation({ summary: 'Add a document to your own file on a person: one PDF, PNG, JPEG, DOCX or ODT of at most 10 MB (by content)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'category'],
      properties: { file: { type: 'string', format: 'binary', maxLength: 10485760 }, category: { type: 'string', enum: [...DATA_CATEGORIES] } },
    },
  })
  @ApiCreatedResponse({ type: ClientDocumentDto })
  @ApiProblems(400, 401, 403, 404, 409, 413, 415)
  async upload(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UploadedFile() file: UploadedDocument | undefined,
    @Body() body: UploadDocumentDto,
  ): Promise<ClientDocument> {
    const document = await sniffDocument(file);
    return this.documents.upload(ctx, id, { category: body.category, ...document });
  }

  @Get('clients/:id/documents')
  @Requires('document.read')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({ summary: "Documents on a person you may read: your own file's, and partner files' under agreement and consent" })
  @ApiOkResponse({ schema: { type: 'array', maxItems: DOCUMENTS_PER_LIST, items: { $ref: getSchemaPath(ClientDocumentDto) } } })
  @ApiProblems(400, 401, 403, 404)
  list(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<ClientDocument[]> {
    return this.documents.list(ctx, id);
  }

  @Get('documents/:id')
  @Requires('document.read')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiOperation({ summary: 'Download a document (audited as a read of its category of its file)' })
  @ApiProduces(...DOCUMENT_MEDIA_TYPES)
  @ApiOkResponse({ description: 'The document, as an attachment', schema: { type: 'string', format: 'binary', maxLength: 10485760 } })
  @ApiProblems(400, 401, 403, 404)
  async download(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<StreamableFile> {
    const document = await this.documents.download(ctx, id);
    return new StreamableFile(document.content, {
      type: document.mediaType,
      length: document.sizeBytes,
      disposition: contentDisposition(document.fileName, { type: 'attachment' }),
    });
  }
}

import { Ctx } from '@app/auth';
import { DATA_CATEGORIES, type RequestContext } from '@app/kernel';
import { Requires } from '@app/access';
import { NoteService, NotificationService, type CaseNote, type Notification } from '@app/domain';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { StaffCardDto } from '../users/dto/user.dto.js';
import { MultilineText } from '../http/validators.js';

export class CreateNoteDto {
  @ApiProperty({ enum: DATA_CATEGORIES, description: 'What the note is about; it is shared only where that category may be read' })
  @IsIn(DATA_CATEGORIES)
  category: (typeof DATA_CATEGORIES)[number];
  @ApiProperty({ enum: ['INTERNAL', 'SHARED'], description: 'INTERNAL: your organisation only; SHARED: the trajectory participants' })
  @IsIn(['INTERNAL', 'SHARED'])
  visibility: 'INTERNAL' | 'SHARED';
  @ApiProperty({ minLength: 1, maxLength: 8000 }) @IsString() @MinLength(1) @MaxLength(8000) @MultilineText() body: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'On POST /clients/:id/notes: the trajectory the note belongs to' })
  @IsOptional()
  @IsUUID()
  trajectoryId?: string;
}

export class CaseNoteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) trajectoryId: string | null;
  @ApiProperty({ format: 'uuid' }) authorUserId: string;
  @ApiProperty({ type: () => StaffCardDto, nullable: true, description: "the author's contact card" }) author: StaffCardDto | null;
  @ApiProperty({ enum: DATA_CATEGORIES }) category: string;
  @ApiProperty({ enum: ['INTERNAL', 'SHARED'] }) visibility: string;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: Date;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'referral.received' }) kind: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) referralId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) agreementId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) clientId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) readAt: Date | null;
}

@ApiTags('Notes and notifications')
@Controller()
export class NotesController {
  constructor(
    private readonly notes: NoteService,
    private readonly notifications: NotificationService,
  ) {}

  @Post('clients/:id/notes')
  @Requires('note.create')
  @ApiOperation({ summary: 'Add a case note on a person (your own file), or on a trajectory you take part in' })
  @ApiCreatedResponse({ type: CaseNoteDto })
  @ApiProblems(400, 401, 403, 404, 413)
  addForClient(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: CreateNoteDto): Promise<CaseNote> {
    return this.notes.add(ctx, id, body);
  }

  @Get('clients/:id/notes')
  @Requires('note.read')
  @ApiOperation({ summary: "Notes on a person you may see: your organisation's, and shared ones of trajectories you take part in" })
  @ApiOkResponse({ type: [CaseNoteDto] })
  @ApiProblems(400, 401, 403, 404)
  listForClient(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<CaseNote[]> {
    return this.notes.listForClient(ctx, id);
  }

  @Post('trajectories/:id/notes')
  @Requires('note.create')
  @ApiOperation({ summary: 'Add a note on a trajectory you take part in' })
  @ApiCreatedResponse({ type: CaseNoteDto })
  @ApiProblems(400, 401, 403, 404, 413)
  async addForTrajectory(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: CreateNoteDto): Promise<CaseNote> {
    return this.notes.addToTrajectory(ctx, id, body);
  }

  @Get('trajectories/:id/notes')
  @Requires('note.read')
  @ApiOperation({ summary: 'Notes on a trajectory you take part in' })
  @ApiOkResponse({ type: [CaseNoteDto] })
  @ApiProblems(400, 401, 403, 404)
  listForTrajectory(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<CaseNote[]> {
    return this.notes.listForTrajectory(ctx, id);
  }

  @Get('notifications')
  @Requires('notification.read')
  @ApiOperation({ summary: 'Your notifications, unread first' })
  @ApiOkResponse({ type: [NotificationDto] })
  @ApiProblems(401)
  listNotifications(@Ctx() ctx: RequestContext): Promise<Notification[]> {
    return this.notifications.list(ctx);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @Requires('notification.update')
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiProblems(400, 401, 404)
  markRead(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Notification> {
    return this.notifications.markRead(ctx, id);
  }
}

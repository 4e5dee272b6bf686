import { Ctx } from '@app/auth';
import { PURPOSE_HEADER, PURPOSES, type RequestContext } from '@app/kernel';
import { Requires } from '@app/access';
import { TrajectoryService, type Trajectory } from '@app/domain';
import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import {
  AddActivityDto,
  AddParticipantDto,
  AddObstacleDto,
  CheckpointDto,
  CreateTrajectoryDto,
  TrajectoryDto,
  TransitionDto,
  TypeChangeDto,
  UpdateActivityDto,
  UpdateObstacleDto,
} from './dto/trajectory.dto.js';

const PurposeHeader = () =>
  ApiHeader({ name: PURPOSE_HEADER, required: false, enum: PURPOSES, description: 'Why you read a partner’s trajectory (see /clients)' });

@ApiTags('Trajectories')
@Controller()
export class TrajectoriesController {
  constructor(private readonly trajectories: TrajectoryService) {}

  @Post('trajectories')
  @Requires('trajectory.create')
  @ApiOperation({ summary: 'Start a trajectory for your client (PLANNED); your organisation directs it' })
  @ApiCreatedResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  create(@Ctx() ctx: RequestContext, @Body() body: CreateTrajectoryDto): Promise<Trajectory> {
    return this.trajectories.create(ctx, body);
  }

  @Get('trajectories/:id')
  @Requires('trajectory.read')
  @PurposeHeader()
  @ApiOperation({ summary: 'One trajectory with participants and history (partners: under the sharing rule, category TRAJECTORY)' })
  @ApiOkResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Trajectory> {
    return this.trajectories.get(ctx, id);
  }

  @Get('clients/:id/trajectories')
  @Requires('trajectory.read')
  @PurposeHeader()
  @ApiOperation({ summary: "A person's trajectories you may see, newest first" })
  @ApiOkResponse({ type: [TrajectoryDto] })
  @ApiProblems(400, 401, 403, 404)
  listForClient(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Trajectory[]> {
    return this.trajectories.listForClient(ctx, id);
  }

  @Post('trajectories/:id/transitions')
  @HttpCode(200)
  @Requires('trajectory.direct')
  @ApiOperation({ summary: 'Change the status (PLANNED -> ACTIVE <-> ON_HOLD -> COMPLETED | STOPPED); an illegal change is a 409 naming the allowed ones' })
  @ApiOkResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  transition(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: TransitionDto): Promise<Trajectory> {
    return this.trajectories.transition(ctx, id, body);
  }

  @Post('trajectories/:id/type')
  @HttpCode(200)
  @Requires('trajectory.direct')
  @ApiOperation({ summary: 'Change the type, with the reason (kept in the history)' })
  @ApiOkResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  changeType(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: TypeChangeDto): Promise<Trajectory> {
    return this.trajectories.changeType(ctx, id, body);
  }

  @Post('trajectories/:id/obstacles')
  @Requires('trajectory.work')
  @ApiOperation({ summary: 'Record an obstacle (mobility, language, childcare, other): director or participant' })
  @ApiCreatedResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  addObstacle(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: AddObstacleDto): Promise<Trajectory> {
    return this.trajectories.addObstacle(ctx, id, body);
  }

  @Post('trajectories/:id/obstacles/:obstacleId')
  @HttpCode(200)
  @Requires('trajectory.work')
  @ApiOperation({ summary: 'Mark an obstacle OPEN or ADDRESSED, with the actions taken (version-guarded)' })
  @ApiOkResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  updateObstacle(@Ctx() ctx: RequestContext, @UuidParam() id: string, @UuidParam('obstacleId') obstacleId: string, @Body() body: UpdateObstacleDto) {
    return this.trajectories.updateObstacle(ctx, id, obstacleId, body);
  }

  @Post('trajectories/:id/activities')
  @Requires('trajectory.work')
  @ApiOperation({ summary: 'Plan an activity (training, language course, job coaching, TWE placement, mobile training)' })
  @ApiCreatedResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  addActivity(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: AddActivityDto): Promise<Trajectory> {
    return this.trajectories.addActivity(ctx, id, body);
  }

  @Post('trajectories/:id/activities/:activityId')
  @HttpCode(200)
  @Requires('trajectory.work')
  @ApiOperation({ summary: 'Record the actual dates and the result of an activity (version-guarded)' })
  @ApiOkResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  updateActivity(@Ctx() ctx: RequestContext, @UuidParam() id: string, @UuidParam('activityId') activityId: string, @Body() body: UpdateActivityDto) {
    return this.trajectories.updateActivity(ctx, id, activityId, body);
  }

  @Post('trajectories/:id/checkpoints/:months')
  @HttpCode(200)
  @Requires('trajectory.work')
  @ApiOperation({
    summary:
      "Record your organisation's observation at the 6, 12, 18 or 24-month checkpoint (once it is due): in work or not, and how you know; others' observations are kept",
  })
  @ApiOkResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  recordCheckpoint(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Param('months', ParseIntPipe) months: number, @Body() body: CheckpointDto) {
    return this.trajectories.recordCheckpoint(ctx, id, months, { working: body.working, source: body.source });
  }

  @Post('trajectories/:id/participants')
  @Requires('trajectory.direct')
  @ApiOperation({ summary: "Add a partner as EXECUTOR or ADVISOR (director); the partner's involvement is recorded with it" })
  @ApiCreatedResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  addParticipant(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: AddParticipantDto): Promise<Trajectory> {
    return this.trajectories.addParticipant(ctx, id, body);
  }
}

import { Ctx, PURPOSE_HEADER, PURPOSES, Policy, type RequestContext } from '@app/auth';
import { TrajectoryService, type Trajectory } from '@app/domain';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { CreateTrajectoryDto, TrajectoryDto, TransitionDto, TypeChangeDto } from './dto/trajectory.dto.js';

const PurposeHeader = () =>
  ApiHeader({ name: PURPOSE_HEADER, required: false, enum: PURPOSES, description: 'Why you read a partner’s trajectory (see /clients)' });

@ApiTags('Trajectories')
@Controller()
export class TrajectoriesController {
  constructor(private readonly trajectories: TrajectoryService) {}

  @Post('trajectories')
  @Policy('update', 'ClientFile')
  @ApiOperation({ summary: 'Start a trajectory for your client (PLANNED); your organisation directs it' })
  @ApiCreatedResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  create(@Ctx() ctx: RequestContext, @Body() body: CreateTrajectoryDto): Promise<Trajectory> {
    return this.trajectories.create(ctx, body);
  }

  @Get('trajectories/:id')
  @Policy('read', 'ClientFile')
  @PurposeHeader()
  @ApiOperation({ summary: 'One trajectory with participants and history (partners: under the sharing rule, category TRAJECTORY)' })
  @ApiOkResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Trajectory> {
    return this.trajectories.get(ctx, id);
  }

  @Get('clients/:id/trajectories')
  @Policy('read', 'ClientFile')
  @PurposeHeader()
  @ApiOperation({ summary: "A person's trajectories you may see, newest first" })
  @ApiOkResponse({ type: [TrajectoryDto] })
  @ApiProblems(400, 401, 403, 404)
  listForClient(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Trajectory[]> {
    return this.trajectories.listForClient(ctx, id);
  }

  @Post('trajectories/:id/transitions')
  @HttpCode(200)
  @Policy('update', 'ClientFile')
  @ApiOperation({ summary: 'Change the status (PLANNED -> ACTIVE <-> ON_HOLD -> COMPLETED | STOPPED); an illegal change is a 409 naming the allowed ones' })
  @ApiOkResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  transition(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: TransitionDto): Promise<Trajectory> {
    return this.trajectories.transition(ctx, id, body);
  }

  @Post('trajectories/:id/type')
  @HttpCode(200)
  @Policy('update', 'ClientFile')
  @ApiOperation({ summary: 'Change the type, with the reason (kept in the history)' })
  @ApiOkResponse({ type: TrajectoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  changeType(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: TypeChangeDto): Promise<Trajectory> {
    return this.trajectories.changeType(ctx, id, body);
  }
}

import { Public } from '@app/access';
import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { migrationsApplied } from '../database/data-source.js';
import { ApiProblems } from '../http/openapi.js';

@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Public()
  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'The database is reachable and every migration is applied' })
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'up', migrations: 'applied' } } })
  @ApiProblems(503)
  async ready() {
    const ok = await Promise.race([
      migrationsApplied(this.dataSource).catch(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref()),
    ]);
    if (!ok) throw new ServiceUnavailableException({ code: 'service-unavailable' });
    return { status: 'ok', database: 'up', migrations: 'applied' };
  }
}

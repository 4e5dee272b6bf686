import { Requires, Public } from '@app/access';
import { Controller, Get, Post } from '@nestjs/common';
import { routeInventory } from './route-inventory.js';

@Controller('things')
class ThingsController {
  @Get()
  @Requires('organisation.read')
  list() {}

  @Post(':id/forgotten')
  forgotten() {}

  @Public()
  @Get('open')
  open() {}
}

describe('routeInventory', () => {
  it('reports each route with its declared access, and NONE for a route without policy or @Public()', () => {
    expect(routeInventory([ThingsController])).toEqual([
      { method: 'GET', path: '/things', access: 'organisation.read (read Organisation)' },
      { method: 'POST', path: '/things/:id/forgotten', access: 'NONE' },
      { method: 'GET', path: '/things/open', access: 'public' },
    ]);
  });
});

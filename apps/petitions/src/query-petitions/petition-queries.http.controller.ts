import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { PetitionRecord, PetitionRepository } from '../database/petition.repository';
import { PetitionView, petitionView } from './petition-view';
import { Roles } from '@recert/platform';

export class PetitionQueueQueryDto extends createZodDto(
  z.strictObject({
    state: z.enum(['submitted', 'fee-paid', 'under-review', 'approved', 'denied', 'withdrawn']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
) {}

/** The petition queue and one petition with every act on it (who, when, why). */
@ApiTags('petitions')
@Roles('reviewer', 'ops')
@Controller('petitions')
export class PetitionQueriesHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'The petition queue, oldest first; filter by state.' })
  queue(@Query() query: PetitionQueueQueryDto): Promise<PetitionRecord[]> {
    return new PetitionRepository(this.dataSource.manager).list(query.state, query.limit);
  }

  @Get(':petitionId')
  @ApiOperation({ summary: 'One petition: its state, the CEUs granted, and who acted on it, when and why.' })
  async one(@Param('petitionId', ParseUUIDPipe) petitionId: string): Promise<PetitionView> {
    const repository = new PetitionRepository(this.dataSource.manager);
    const petition = await repository.find(petitionId);
    if (!petition) throw new NotFoundException(`petition ${petitionId} does not exist`);
    return petitionView(repository, petition);
  }
}

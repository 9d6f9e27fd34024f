import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { PetitionApproved } from '@recert/contracts';
import { EventScope, UnitOfWork } from '@recert/messaging';
import {
  approvePetition,
  ceuHundredths,
  denyPetition,
  parseCeu,
  PetitionTransition,
  startReview,
  withdrawPetition,
} from '@recert/rules';
import { PetitionRecord, PetitionRepository } from '../database/petition.repository';
import { ApprovePetitionDto, DenyPetitionDto, PetitionQueueQueryDto } from './decide-petition.dto';

/** Staff work the petition queue: review, then approve with the CEUs granted, or deny (R6). */
@ApiTags('petitions')
@Controller('petitions')
export class PetitionsHttpController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The petition queue, oldest first; filter by state.' })
  async queue(@Query() query: PetitionQueueQueryDto): Promise<PetitionRecord[]> {
    return new PetitionRepository(this.dataSource.manager).list(query.state, query.limit);
  }

  @Get(':petitionId')
  async one(@Param('petitionId', ParseUUIDPipe) petitionId: string): Promise<PetitionRecord> {
    const [petition] = await this.dataSource.transaction((m) =>
      Promise.all([new PetitionRepository(m).forUpdate(petitionId)]),
    );
    if (!petition) throw new NotFoundException(`petition ${petitionId} does not exist`);
    return petition;
  }

  @Post(':petitionId/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start the review. Refused (409) until the $25 fee is paid (R6).' })
  review(@Param('petitionId', ParseUUIDPipe) petitionId: string): Promise<PetitionRecord> {
    return this.transition(petitionId, (p) => startReview(p));
  }

  @Post(':petitionId/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a petition under review with the CEUs granted; they count like a pre-approved course.',
  })
  approve(
    @Param('petitionId', ParseUUIDPipe) petitionId: string,
    @Body() body: ApprovePetitionDto,
  ): Promise<PetitionRecord> {
    return this.transition(
      petitionId,
      (p) => approvePetition(p, ceuHundredths(parseCeu(body.ceuGranted)), body.reason),
      (scope, p) => {
        scope.publish(PetitionApproved, {
          petitionId: p.petitionId,
          trainerId: p.trainerId,
          ceuHundredths: p.ceuGranted ?? 0,
          completedOn: p.completedOn,
        });
      },
    );
  }

  @Post(':petitionId/deny')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deny a petition under review, with the reason. The fee is kept (R6).' })
  deny(@Param('petitionId', ParseUUIDPipe) petitionId: string, @Body() body: DenyPetitionDto): Promise<PetitionRecord> {
    return this.transition(petitionId, (p) => denyPetition(p, body.reason));
  }

  @Post(':petitionId/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a petition before its decision. A paid fee is kept (R6).' })
  withdraw(@Param('petitionId', ParseUUIDPipe) petitionId: string): Promise<PetitionRecord> {
    return this.transition(petitionId, (p) => withdrawPetition(p));
  }

  private transition(
    petitionId: string,
    change: (petition: PetitionRecord) => PetitionTransition,
    then?: (scope: EventScope, petition: PetitionRecord) => void,
  ): Promise<PetitionRecord> {
    return this.unitOfWork.run(async (scope) => {
      const repository = new PetitionRepository(scope.manager);
      const petition = await repository.forUpdate(petitionId);
      if (!petition) throw new NotFoundException(`petition ${petitionId} does not exist`);
      const result = change(petition);
      if (!result.ok) throw new ConflictException(result.reason);
      const next = { ...petition, ...result.petition };
      await repository.save(next);
      then?.(scope, next);
      return next;
    });
  }
}

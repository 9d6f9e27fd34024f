import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@recert/platform';
import { parseCeu } from '@recert/rules';
import { PetitionView } from '../query-petitions/petition-view';
import { ApprovePetitionDto, DenyPetitionDto, ReviewPetitionBody } from './decide-petition.dto';
import { DecidePetitionHandler, DecisionResult } from './decide-petition.handler';

/**
 * Staff decide petitions (R6). Withdrawing is the trainer's act, through the portal's
 * CoursePetitionWithdrawn event, not a route here.
 */
@ApiTags('petitions')
@Roles('reviewer')
@Controller('petitions')
export class PetitionsHttpController {
  constructor(private readonly decide: DecidePetitionHandler) {}

  @Post(':petitionId/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start the review. Refused (409) until the $25 fee is paid (R6). Records who and when.' })
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: { reason: { type: 'string', maxLength: 1000 } },
      additionalProperties: false,
    },
  })
  async review(
    @Param('petitionId', ParseUUIDPipe) petitionId: string,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<PetitionView> {
    const parsed = ReviewPetitionBody.safeParse(body);
    if (!parsed.success)
      throw new BadRequestException(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    return answer(await this.decide.review(petitionId, caller, parsed.data?.reason ?? null));
  }

  @Post(':petitionId/approve')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Approve a petition under review with the CEUs granted (R3: at most contact hours × 0.1, else 400); they count like a pre-approved course.',
  })
  async approve(
    @Param('petitionId', ParseUUIDPipe) petitionId: string,
    @Body() body: ApprovePetitionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<PetitionView> {
    return answer(await this.decide.approve(petitionId, caller, parseCeu(body.ceuGranted), body.reason));
  }

  @Post(':petitionId/deny')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deny a petition under review, with the reason. The fee is kept (R6); an open fee closes.' })
  async deny(
    @Param('petitionId', ParseUUIDPipe) petitionId: string,
    @Body() body: DenyPetitionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<PetitionView> {
    return answer(await this.decide.deny(petitionId, caller, body.reason));
  }
}

function answer(result: DecisionResult): PetitionView {
  if (result.ok) return result.petition;
  if (result.status === 404) throw new NotFoundException(result.message);
  if (result.status === 400) throw new BadRequestException(result.message);
  throw new ConflictException(result.message);
}

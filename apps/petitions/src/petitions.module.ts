import { Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';

/** Petitions for courses that are not pre-approved, and their fee (R6). */
@Module({
  imports: [
    PlatformModule.forService({ service: 'petitions', database: { entities: [], migrations } }),
    MessagingModule.forRoot(),
  ],
})
export class PetitionsModule {}

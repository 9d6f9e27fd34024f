import { Module } from '@nestjs/common';
import { MessagingModule } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';

/** Credentials, cycles and recertification applications: window, fee tier at receipt, decision (R1, R8–R10, R12). */
@Module({
  imports: [
    PlatformModule.forService({ service: 'applications', database: { entities: [], migrations } }),
    MessagingModule.forRoot(),
  ],
})
export class ApplicationsModule {}

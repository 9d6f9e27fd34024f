import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { Caller, CurrentCaller, Roles } from '@recert/platform';
import { AddStaffHandler, NewStaffMember, StaffAccountView } from './add-staff.handler';

class NewStaffMemberDto extends createZodDto(NewStaffMember) {}

/** Admins add the people who work the queues (issue 14); the first admin comes from `npm run staff:create-admin`. */
@ApiTags('staff')
@Roles('admin')
@Controller('v1/staff')
export class StaffHttpController {
  constructor(private readonly staff: AddStaffHandler) {}

  @Get()
  @ApiOperation({ summary: 'Every staff account: name, e-mail, roles, whether locked, who added it and when.' })
  list(): Promise<StaffAccountView[]> {
    return this.staff.list();
  }

  @Post()
  @ApiOperation({
    summary:
      'Add a member of staff with roles (reviewer, ops, admin) and a first password of 12 characters or more; 409 if the e-mail has an account.',
  })
  add(@Body() body: NewStaffMemberDto, @CurrentCaller() admin: Caller): Promise<StaffAccountView> {
    return this.staff.add(body, admin.name);
  }
}

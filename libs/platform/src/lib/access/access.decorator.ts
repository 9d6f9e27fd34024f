import { Reflector } from '@nestjs/core';
import { Requirement, Role } from './access-control';

/** What a handler (or a whole controller) requires of its caller; read by the AccessGuard. */
export const Access = Reflector.createDecorator<Requirement>();

/** Only callers holding one of these roles reach the handler. */
export const Roles = (...roles: [Role, ...Role[]]) => Access(roles);

/** Anyone reaches the handler: probes, metrics, documents, and the processor's signed webhook. */
export const PublicRoute = () => Access('public');

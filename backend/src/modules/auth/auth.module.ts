import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { PolicyGuard } from './policy.guard';
import { SessionsService } from './sessions.service';
import { SignInThrottle } from './sign-in-throttle';

@Module({
  controllers: [AuthController],
  providers: [
    AuthRepository,
    AuthService,
    SessionsService,
    SignInThrottle,
    { provide: APP_GUARD, useClass: PolicyGuard },
  ],
  exports: [AuthRepository, AuthService, SessionsService],
})
export class AuthModule {}

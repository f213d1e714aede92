import { InviteEntity } from '../modules/workspaces/invite.entity';
import { MembershipEntity } from '../modules/workspaces/membership.entity';
import { WorkspaceEntity } from '../modules/workspaces/workspace.entity';
import { SessionEntity } from '../modules/auth/session.entity';
import { SignInFailureEntity } from '../modules/auth/sign-in-failure.entity';
import { UserEntity } from '../modules/auth/user.entity';

export const entities = [
  UserEntity,
  SessionEntity,
  SignInFailureEntity,
  WorkspaceEntity,
  MembershipEntity,
  InviteEntity,
];

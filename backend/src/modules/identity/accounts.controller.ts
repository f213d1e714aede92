import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../common/errors/domain-error';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import { LimitQuery } from '../../common/http/limit.query';
import { AccountsRepository, type AccountRow } from './accounts.repository';

export class AccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) domain: string | null;
  @ApiProperty({ nullable: true, type: String }) groupId: string | null;
  @ApiProperty() people: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSeenAt: string | null;

  static from(a: AccountRow): AccountDto {
    return { ...a, lastSeenAt: a.lastSeenAt ? new Date(a.lastSeenAt).toISOString() : null };
  }
}

export class AccountPersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ format: 'date-time' }) lastSeenAt: string;
}

export class AccountDetailDto extends AccountDto {
  @ApiProperty({ type: [AccountPersonDto] }) members: AccountPersonDto[];
}

@ApiTags('accounts')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/accounts')
export class AccountsController {
  constructor(@Inject(AccountsRepository) private readonly accounts: AccountsRepository) {}

  @Get()
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: [AccountDto] })
  async list(@Auth() auth: WorkspaceAccess, @Query() q: LimitQuery): Promise<AccountDto[]> {
    return (await this.accounts.list(auth.workspaceId, q.limit ?? 50)).map(AccountDto.from);
  }

  @Get(':accountId')
  @Policy.workspace('admin', 'marketer', 'sales')
  @ApiOkResponse({ type: AccountDetailDto })
  async get(
    @Auth() auth: WorkspaceAccess,
    @Param('accountId', ParseUUIDPipe) id: string,
  ): Promise<AccountDetailDto> {
    const account = await this.accounts.get(auth.workspaceId, id);
    if (!account) throw new DomainError('profiles.not_found', 'No such account in this workspace.');
    const members = await this.accounts.people(auth.workspaceId, id);
    return {
      ...AccountDto.from(account),
      members: members.map((m) => ({ ...m, lastSeenAt: new Date(m.lastSeenAt).toISOString() })),
    };
  }
}

import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ManagementRequest, TeamBlock, TeamDelete, TeamDeleteResponse, TeamInfo, TeamInfoResponse, TeamList, TeamListResponse, TeamMemberAdd,
  TeamMemberAddResponse, TeamMemberDelete, TeamMemberUpdate, TeamMemberUpdateResponse, TeamNew, TeamRow, TeamUnblock, TeamUpdate,
  TeamUpdateResponse,
} from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { MembersService } from './members.service';
import { TeamsService } from './teams.service';

/** /team/* forwarded by the gateway. */
@Controller()
export class TeamsHandler {
  constructor(private readonly teams: TeamsService, private readonly members: MembersService) {}

  @Rpc(TeamNew)
  create(@Payload() r: ManagementRequest): Promise<TeamRow> {
    return this.teams.create(r);
  }

  @Rpc(TeamUpdate)
  update(@Payload() r: ManagementRequest): Promise<TeamUpdateResponse> {
    return this.teams.update(r);
  }

  @Rpc(TeamInfo)
  info(@Payload() r: ManagementRequest): Promise<TeamInfoResponse> {
    return this.teams.info(r);
  }

  @Rpc(TeamList)
  list(@Payload() r: ManagementRequest): Promise<TeamListResponse> {
    return this.teams.list(r);
  }

  @Rpc(TeamDelete)
  delete(@Payload() r: ManagementRequest): Promise<TeamDeleteResponse> {
    return this.teams.delete(r);
  }

  @Rpc(TeamBlock)
  block(@Payload() r: ManagementRequest): Promise<TeamRow> {
    return this.teams.setBlocked(r, true);
  }

  @Rpc(TeamUnblock)
  unblock(@Payload() r: ManagementRequest): Promise<TeamRow> {
    return this.teams.setBlocked(r, false);
  }

  @Rpc(TeamMemberAdd)
  memberAdd(@Payload() r: ManagementRequest): Promise<TeamMemberAddResponse> {
    return this.members.add(r);
  }

  @Rpc(TeamMemberDelete)
  memberDelete(@Payload() r: ManagementRequest): Promise<TeamRow> {
    return this.members.remove(r);
  }

  @Rpc(TeamMemberUpdate)
  memberUpdate(@Payload() r: ManagementRequest): Promise<TeamMemberUpdateResponse> {
    return this.members.update(r);
  }
}

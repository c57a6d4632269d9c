import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ManagementRequest, NewUserResponse, UserDelete, UserDeleteResponse, UserInfo, UserInfoResponse, UserList, UserListResponse, UserNew,
  UserUpdate, UserUpdateResponse,
} from '@tollgate/contracts';
import { Rpc } from '@tollgate/messaging';
import { UsersService } from './users.service';

/** /user/* forwarded by the gateway. */
@Controller()
export class UsersHandler {
  constructor(private readonly users: UsersService) {}

  @Rpc(UserNew)
  create(@Payload() r: ManagementRequest): Promise<NewUserResponse> {
    return this.users.create(r);
  }

  @Rpc(UserInfo)
  info(@Payload() r: ManagementRequest): Promise<UserInfoResponse> {
    return this.users.info(r);
  }

  @Rpc(UserUpdate)
  update(@Payload() r: ManagementRequest): Promise<UserUpdateResponse> {
    return this.users.update(r);
  }

  @Rpc(UserDelete)
  delete(@Payload() r: ManagementRequest): Promise<UserDeleteResponse> {
    return this.users.delete(r);
  }

  @Rpc(UserList)
  list(@Payload() r: ManagementRequest): Promise<UserListResponse> {
    return this.users.list(r);
  }
}

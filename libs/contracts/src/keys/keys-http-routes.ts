import { RpcDef } from '../define';
import { ManagementRequest } from './management-request';
import { KeyBlock } from './key-block.rpc';
import { KeyDelete } from './key-delete.rpc';
import { KeyGenerate } from './key-generate.rpc';
import { KeyInfo } from './key-info.rpc';
import { KeyList } from './key-list.rpc';
import { KeyRegenerate } from './key-regenerate.rpc';
import { KeyUnblock } from './key-unblock.rpc';
import { KeyUpdate } from './key-update.rpc';
import { ModelDelete } from './model-delete.rpc';
import { ModelInfo } from './model-info.rpc';
import { ModelNew } from './model-new.rpc';
import { ModelUpdate } from './model-update.rpc';
import { TeamBlock } from './team-block.rpc';
import { TeamDelete } from './team-delete.rpc';
import { TeamInfo } from './team-info.rpc';
import { TeamList } from './team-list.rpc';
import { TeamMemberAdd } from './team-member-add.rpc';
import { TeamMemberDelete } from './team-member-delete.rpc';
import { TeamMemberUpdate } from './team-member-update.rpc';
import { TeamNew } from './team-new.rpc';
import { TeamUnblock } from './team-unblock.rpc';
import { TeamUpdate } from './team-update.rpc';
import { UserDelete } from './user-delete.rpc';
import { UserInfo } from './user-info.rpc';
import { UserList } from './user-list.rpc';
import { UserNew } from './user-new.rpc';
import { UserUpdate } from './user-update.rpc';

export interface KeysHttpRoute {
  method: 'GET' | 'POST';
  /** Fastify-style path; `:name` segments go into `ManagementRequest.params` */
  path: string;
  rpc: RpcDef<ManagementRequest, unknown>;
}

/**
 * Every management route the keys service answers. The gateway registers each one and forwards
 * `{ caller, body, query, params }` to its RPC, so a new endpoint needs no gateway change.
 */
export const KEYS_HTTP_ROUTES: readonly KeysHttpRoute[] = Object.freeze([
  { method: 'POST', path: '/key/generate', rpc: KeyGenerate },
  { method: 'POST', path: '/key/update', rpc: KeyUpdate },
  { method: 'GET', path: '/key/info', rpc: KeyInfo },
  { method: 'POST', path: '/key/delete', rpc: KeyDelete },
  { method: 'GET', path: '/key/list', rpc: KeyList },
  { method: 'POST', path: '/key/block', rpc: KeyBlock },
  { method: 'POST', path: '/key/unblock', rpc: KeyUnblock },
  { method: 'POST', path: '/key/regenerate', rpc: KeyRegenerate },
  { method: 'POST', path: '/key/:key/regenerate', rpc: KeyRegenerate },
  { method: 'POST', path: '/user/new', rpc: UserNew },
  { method: 'GET', path: '/user/info', rpc: UserInfo },
  { method: 'POST', path: '/user/update', rpc: UserUpdate },
  { method: 'POST', path: '/user/delete', rpc: UserDelete },
  { method: 'GET', path: '/user/list', rpc: UserList },
  { method: 'POST', path: '/team/new', rpc: TeamNew },
  { method: 'POST', path: '/team/update', rpc: TeamUpdate },
  { method: 'GET', path: '/team/info', rpc: TeamInfo },
  { method: 'GET', path: '/team/list', rpc: TeamList },
  { method: 'POST', path: '/team/delete', rpc: TeamDelete },
  { method: 'POST', path: '/team/block', rpc: TeamBlock },
  { method: 'POST', path: '/team/unblock', rpc: TeamUnblock },
  { method: 'POST', path: '/team/member_add', rpc: TeamMemberAdd },
  { method: 'POST', path: '/team/member_delete', rpc: TeamMemberDelete },
  { method: 'POST', path: '/team/member_update', rpc: TeamMemberUpdate },
  { method: 'POST', path: '/model/new', rpc: ModelNew },
  { method: 'GET', path: '/model/info', rpc: ModelInfo },
  { method: 'POST', path: '/model/update', rpc: ModelUpdate },
  { method: 'POST', path: '/model/delete', rpc: ModelDelete },
] as KeysHttpRoute[]);

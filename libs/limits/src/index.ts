export * from './layout';
export * from './money';
export * from './duration';
export * from './request';
export * from './messages';
export * from './admission';
export * from './store';
export { ADMIT_LUA, COMPLETE_LUA, SET_SPEND_LUA } from './scripts';

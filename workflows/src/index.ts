export * from './activities';
export * from './names';

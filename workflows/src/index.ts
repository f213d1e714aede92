export * from './activities';
export * from './names';
export * from './journey';

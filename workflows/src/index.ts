export * from './activities';
export * from './intelligence-activities';
export * from './names';
export * from './journey';

export * from './controller';
export * from './states';

export * from './controller';
export * from './states';
export * from './messages';

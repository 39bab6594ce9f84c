export * from './analysis/types';

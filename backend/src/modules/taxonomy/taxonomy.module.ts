import { Module } from '@nestjs/common';
import { TaxonomyRepository } from './taxonomy.repository';
import { TaxonomyService } from './taxonomy.service';

@Module({ providers: [TaxonomyRepository, TaxonomyService], exports: [TaxonomyService] })
export class TaxonomyModule {}

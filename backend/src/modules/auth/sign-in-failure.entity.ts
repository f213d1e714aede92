import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('sign_in_failures')
export class SignInFailureEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('text') key: string;
  @Column('timestamptz', { name: 'failed_at' }) failedAt: Date;
}

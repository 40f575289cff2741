package dev.supervision.sample.chat;

import org.springframework.data.jpa.repository.JpaRepository;

/** Users, read by the user manager when it starts and written when one registers. */
interface UserRepository extends JpaRepository<UserEntity, Long> {}

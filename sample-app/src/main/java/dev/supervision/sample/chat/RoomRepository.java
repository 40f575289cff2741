package dev.supervision.sample.chat;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Rooms. */
interface RoomRepository extends JpaRepository<RoomEntity, Long> {

  Optional<RoomEntity> findByName(String name);

  boolean existsByName(String name);
}

<?php
/**
 * The card's markup, from the server: for the block, the shortcode and pasted URLs.
 *
 * @package ArticleEmbed
 */

defined( 'ABSPATH' ) || exit;

/**
 * The server's address, without a trailing slash: the ARTICLE_EMBED_SERVER constant
 * (wp-config.php) when defined, else the settings page's; '' when neither is set.
 *
 * @return string
 */
function article_embed_server() {
	$server = defined( 'ARTICLE_EMBED_SERVER' ) ? (string) ARTICLE_EMBED_SERVER : (string) article_embed_setting( 'server' );
	$server = untrailingslashit( trim( $server ) );
	return preg_match( '#^https?://[^/]+#i', $server ) ? esc_url_raw( $server ) : '';
}

/**
 * Whether a URL is one the server answers for.
 *
 * @param string $url A URL.
 * @return bool
 */
function article_embed_is_ours( $url ) {
	$server = article_embed_server();
	if ( '' === $server ) {
		return false;
	}
	foreach ( array_merge( array( $server ), article_embed_story_sites() ) as $prefix ) {
		if ( 0 === stripos( $url, $prefix . '/' ) ) {
			return true;
		}
	}
	return false;
}

/**
 * Removes the card's own script tag (the page gets one, enqueued) and enqueues it.
 *
 * @param string $html The server's markup.
 * @return string
 */
function article_embed_take_script( $html ) {
	wp_enqueue_script( 'article-embed' );
	$html = preg_replace( '#<script type="module" src="[^"]*/dist/article-embed\.js"[^>]*></script>\s*#', '', $html );
	// No line breaks between tags: the classic editor's wpautop would make them <br> and
	// <p> inside the card.
	return preg_replace( '#>\s*\n\s*<#', '><', $html );
}

/**
 * The server-rendered card for a story's URL: the element with the card in a declarative
 * shadow root, so that it shows before and without script; '' (with a link for editors)
 * when the server has no card for it. Kept for an hour.
 *
 * @param array $args url, layout, theme, newsletter.
 * @return string
 */
function article_embed_card( $args ) {
	$server = article_embed_server();
	$url    = isset( $args['url'] ) ? esc_url_raw( trim( $args['url'] ) ) : '';
	if ( '' === $server || '' === $url ) {
		return '';
	}
	$query = array(
		'url'     => $url,
		'format'  => 'json',
		'flavour' => 'script',
	);
	foreach ( array( 'layout', 'theme', 'newsletter' ) as $name ) {
		if ( ! empty( $args[ $name ] ) ) {
			$query[ $name ] = sanitize_text_field( $args[ $name ] );
		}
	}
	$cache_key = 'article_embed_' . md5( wp_json_encode( $query ) . $server );
	$html      = get_transient( $cache_key );
	if ( false === $html ) {
		$response = wp_safe_remote_get( add_query_arg( rawurlencode_deep( $query ), $server . '/oembed' ), array( 'timeout' => 10 ) );
		$data     = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( 200 !== wp_remote_retrieve_response_code( $response ) || ! is_array( $data ) || empty( $data['html'] ) ) {
			// A plain link, never an error in the page.
			return sprintf( '<p><a href="%s">%s</a></p>', esc_url( $url ), esc_html( $url ) );
		}
		$html = (string) $data['html'];
		set_transient( $cache_key, $html, HOUR_IN_SECONDS );
	}
	return article_embed_take_script( $html );
}

/**
 * The Article card block.
 *
 * @param array $attributes The block's attributes.
 * @return string
 */
function article_embed_render_block( $attributes ) {
	$card = article_embed_card( $attributes );
	if ( '' === $card ) {
		return '';
	}
	$wrapper = get_block_wrapper_attributes( array( 'class' => 'article-embed-card' ) );
	return sprintf( '<div %s>%s</div>', $wrapper, $card );
}

/**
 * [article_embed url="…" layout="compact" theme="dark" newsletter="…"]
 *
 * @param array|string $atts The shortcode's attributes.
 * @return string
 */
function article_embed_shortcode( $atts ) {
	$atts = shortcode_atts(
		array(
			'url'        => '',
			'layout'     => '',
			'theme'      => '',
			'newsletter' => '',
		),
		$atts,
		'article_embed'
	);
	return article_embed_card( $atts );
}
